"""Output shapes of the action-plan API (reads); writes take their own input serializers."""

from rest_framework import serializers

from actions.models import Action, Measure, MeasureValue, Priority, ProgressUpdate, Strategy


class StrategyOutput(serializers.ModelSerializer):
    partnership = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    approved_by = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    supersedes = serializers.SlugRelatedField(slug_field="slug", read_only=True, allow_null=True)

    class Meta:
        model = Strategy
        fields = [
            "slug",
            "title",
            "partnership",
            "version",
            "status",
            "period_start",
            "period_end",
            "owner",
            "approved_by",
            "approved_on",
            "review_date",
            "target_audience",
            "related_documents",
            "supersedes",
        ]


class PriorityOutput(serializers.ModelSerializer):
    class Meta:
        model = Priority
        fields = ["id", "code", "title", "description", "position"]


class LeadOutput(serializers.Serializer):
    agency = serializers.CharField(source="agency.slug")
    name = serializers.CharField(source="agency.name")
    is_primary = serializers.BooleanField()


class MilestoneOutput(serializers.Serializer):
    title = serializers.CharField()
    due_date = serializers.DateField(allow_null=True)
    done = serializers.BooleanField()
    done_on = serializers.DateField(allow_null=True)


class ActionOutput(serializers.ModelSerializer):
    strategy = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    priority = serializers.CharField(source="priority.code")
    leads = LeadOutput(many=True)
    milestones = MilestoneOutput(many=True)
    boroughs = serializers.SlugRelatedField(slug_field="slug", many=True, read_only=True)

    class Meta:
        model = Action
        fields = [
            "id",
            "strategy",
            "priority",
            "ref",
            "title",
            "description",
            "outcomes",
            "resources",
            "resource_amount",
            "timescale_kind",
            "timescale_date",
            "leads",
            "milestones",
            "boroughs",
            "performance_measures",
            "indicator_name",
            "status",
            "last_update_at",
            "lock_version",
        ]


class ProgressUpdateOutput(serializers.ModelSerializer):
    author = serializers.CharField(source="author.full_name")
    agency = serializers.SlugRelatedField(slug_field="slug", read_only=True)

    class Meta:
        model = ProgressUpdate
        fields = [
            "id",
            "update_date",
            "author",
            "agency",
            "status",
            "previous_status",
            "narrative",
            "next_steps",
            "created_at",
        ]


class MeasureValueOutput(serializers.ModelSerializer):
    borough = serializers.SlugRelatedField(slug_field="slug", read_only=True)

    class Meta:
        model = MeasureValue
        fields = ["borough", "quarter_end", "value"]


class MeasureOutput(serializers.ModelSerializer):
    partnership = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    indicator_name = serializers.CharField(read_only=True)
    values = MeasureValueOutput(many=True)

    class Meta:
        model = Measure
        fields = [
            "id",
            "partnership",
            "code",
            "name",
            "description",
            "unit",
            "target",
            "better",
            "indicator_name",
            "values",
        ]
