from django import forms

from portal.forms import GovukModelForm
from reporting.models import BoardReport


class NarrativeForm(GovukModelForm):
    class Meta:
        model = BoardReport
        fields = ["title", "contact", "brief_update", "key_challenges", "support_required"]
        labels = {
            "brief_update": "1. Brief update",
            "key_challenges": "2. Key challenges",
            "support_required": "3. Support required from the board, and recommendations",
        }
        help_texts = {
            "brief_update": "What happened this quarter. Plain text: formatting is not kept.",
            "key_challenges": "What is getting in the way, and what is being done about it.",
            "support_required": "What you are asking the board to decide or do.",
        }
        widgets = {
            "brief_update": forms.Textarea(attrs={"rows": 8}),
            "key_challenges": forms.Textarea(attrs={"rows": 6}),
            "support_required": forms.Textarea(attrs={"rows": 5}),
        }
        error_messages = {"title": {"required": "Enter a title for the report"}}
