"""Board meetings and attendance through their forms: bad input is refused on the form, with a
GOV.UK error summary, what was typed kept, and nothing changed."""

from datetime import date

import pytest
from django.test import Client
from django.urls import reverse

from partnership.models import Attendance, AttendanceStatus, BoardMeeting, ChangeRecord
from partnership.services import board_meeting_create

pytestmark = pytest.mark.django_db


def _meeting_url(board) -> str:
    return reverse("partnership:board_meeting_new", kwargs={"slug": board.slug})


def _attendance_url(board, attendance) -> str:
    kwargs = {
        "slug": board.slug,
        "meeting_id": attendance.meeting_id,
        "attendance_id": attendance.pk,
    }
    return reverse("partnership:attendance_edit", kwargs=kwargs)


def test_an_administrator_adds_a_meeting_and_every_board_member_is_invited(
    board, board_member, partnership_admin, sign_in
):
    client = sign_in(Client(), partnership_admin)
    response = client.post(_meeting_url(board), {"date": "2026-10-01", "title": "Autumn"})
    assert response.status_code == 302
    meeting = BoardMeeting.objects.get(board=board)
    assert meeting.created_by == partnership_admin
    assert ChangeRecord.objects.filter(action="board_meeting_create", actor=partnership_admin)
    attendance = Attendance.objects.get(meeting=meeting)
    assert (attendance.user, attendance.status) == (board_member, AttendanceStatus.INVITED)


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ({"date": "", "title": "Kept title"}, "Enter the date of the meeting"),
        ({"date": "31/02/2026", "title": "Kept title"}, "Enter a real date"),
    ],
)
def test_a_meeting_without_a_real_date_is_refused_on_the_form(
    typed, message, board, partnership_admin, sign_in
):
    response = sign_in(Client(), partnership_admin).post(_meeting_url(board), typed)
    html = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in html
    assert message in html
    assert 'value="Kept title"' in html
    assert not BoardMeeting.objects.exists()


def test_a_second_meeting_on_the_same_day_is_refused_with_a_clear_message(
    board, partnership_admin, actor, sign_in
):
    board_meeting_create(acting_user=actor, board=board, date=date(2026, 10, 1))
    response = sign_in(Client(), partnership_admin).post(
        _meeting_url(board), {"date": "2026-10-01", "title": "Again"}
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in html
    assert "This board already has a meeting on that date" in html
    assert 'value="Again"' in html
    assert BoardMeeting.objects.filter(board=board).count() == 1


def test_only_administrators_add_meetings_or_record_attendance(
    board, board_member, commissioner, actor, sign_in
):
    meeting = board_meeting_create(acting_user=actor, board=board, date=date(2026, 10, 1))
    attendance = meeting.attendance.get(user=board_member)
    for person in (board_member, commissioner):
        client = sign_in(Client(), person)
        assert client.post(_meeting_url(board), {"date": "2026-11-05"}).status_code == 404
        response = client.post(_attendance_url(board, attendance), {"status": "attended"})
        assert response.status_code == 404
    attendance.refresh_from_db()
    assert attendance.status == AttendanceStatus.INVITED
    assert BoardMeeting.objects.filter(board=board).count() == 1


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ({}, "Choose whether they attended, sent apologies or sent a substitute"),
        ({"status": "asleep"}, "Choose whether they attended, sent apologies or sent a substitute"),
        ({"status": "substitute"}, "Say who came instead"),
        ({"status": "substitute", "substitute": "999999"}, "Choose a person from the list"),
    ],
)
def test_bad_attendance_is_refused_on_the_form_and_changes_nothing(
    typed, message, board, board_member, partnership_admin, actor, sign_in
):
    meeting = board_meeting_create(acting_user=actor, board=board, date=date(2026, 10, 1))
    attendance = meeting.attendance.get(user=board_member)
    response = sign_in(Client(), partnership_admin).post(_attendance_url(board, attendance), typed)
    html = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in html
    assert message in html
    attendance.refresh_from_db()
    assert attendance.status == AttendanceStatus.INVITED
    assert attendance.updated_by == actor


def test_attendance_with_a_substitute_is_recorded(
    board, board_member, commissioner, partnership_admin, actor, sign_in
):
    meeting = board_meeting_create(acting_user=actor, board=board, date=date(2026, 10, 1))
    attendance = meeting.attendance.get(user=board_member)
    response = sign_in(Client(), partnership_admin).post(
        _attendance_url(board, attendance), {"status": "substitute", "substitute": commissioner.pk}
    )
    assert response.status_code == 302
    attendance.refresh_from_db()
    assert (attendance.status, attendance.substitute) == (AttendanceStatus.SUBSTITUTE, commissioner)
    assert attendance.updated_by == partnership_admin
