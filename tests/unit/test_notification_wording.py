"""What notification emails say: pure, so it runs without an app."""

from app.outreach import notification_wording
from app.outreach.notification_wording import (
    PREFERENCE_OF,
    TOPICS,
    Item,
    describe,
    preferences_in,
    reason,
    subject,
)
from tests.fixtures.purity import impure_imports

TITLE = "Reading files lazily"


def test_the_module_is_pure():
    assert impure_imports(notification_wording) == []


def test_every_emailed_kind_follows_a_preference_that_has_words_for_the_reason_line():
    assert set(PREFERENCE_OF.values()) == set(TOPICS)
    assert [k for k, pref in PREFERENCE_OF.items() if pref == "membership"] == [
        "membership", "payment_failed", "refund"]
    assert "badge" not in PREFERENCE_OF and "level_up" not in PREFERENCE_OF


def test_a_folded_notification_is_one_line_that_counts():
    assert describe(Item("answer", 20, "Bea", TITLE)) == "20 new answers on “Reading files lazily”"
    assert describe(Item("answer", 1, "Bea", TITLE)) == (
        "Bea answered your question “Reading files lazily”")
    assert describe(Item("reply", 2, "Bea", TITLE)) == (
        "2 new replies to your posts in “Reading files lazily”")
    assert describe(Item("mention", 3, "Bea", TITLE)) == (
        "You were mentioned 3 times in “Reading files lazily”")


def test_lines_for_the_other_kinds():
    assert describe(Item("accepted", 1, None, TITLE)) == (
        "Someone accepted your answer to “Reading files lazily”")
    assert describe(Item("bounty", 1, "Bea", TITLE, {"amount": 50})) == (
        "Bea awarded you a +50 bounty on “Reading files lazily”")
    assert describe(Item("bounty", 1, None, TITLE, {"amount": 50, "automatic": True})) == (
        "The +50 bounty on “Reading files lazily” went to your answer")
    assert describe(Item("payment_failed", data={"grace_ends": "2026-03-04T10:00:00"})) == (
        "Your membership payment failed: update your card before 4 March 2026 to keep your "
        "access")
    assert describe(Item("payment_failed", data={"grace_ends": "soon"})) == (
        "Your membership payment failed: update your card to keep your access")
    assert describe(Item("refund", data={"amount": 1500, "currency": "usd"})).startswith(
        "A payment of 15.00 USD was refunded")
    assert describe(Item("membership", data={"started": True})).startswith("Welcome, member!")
    assert describe(Item("membership", data={"started": True, "news": "renewed", "amount": 900,
                                             "currency": "usd"})).startswith(
        "Your membership renewed: 9.00 USD paid")
    assert describe(Item("membership", data={"news": "ending", "ends": "2027-01-31T10:00:00"})
                    ) == ("Your membership is cancelled and ends on 31 January 2027; "
                          "you can resume it until then")
    assert describe(Item("membership", data={"news": "ended"})).startswith(
        "Your membership has ended")


def test_a_private_message_line_names_the_sender_and_subject_only():
    said = {"conversation_id": 7, "subject": "Meeting on Friday"}
    assert describe(Item("message", 1, "Bea", data=said)) == (
        "Bea sent you a private message: “Meeting on Friday”")
    assert describe(Item("message", 3, "Bea", data=said)) == (
        "3 new private messages in “Meeting on Friday”, the latest from Bea")
    assert describe(Item("message", 1, None, data={"subject": ""})) == (
        "Someone sent you a private message")
    assert reason(["message"], summary=False) == (
        "You are getting this because you chose to hear about private messages right away.")


def test_subjects():
    assert subject(["One line"], summary=False, site_name="Guildhall") == "One line"
    assert subject(["Newest", "Older", "Oldest"], summary=False, site_name="Guildhall") == (
        "Newest (and 2 more)")
    assert subject(["a", "b"], summary=True, site_name="Guildhall") == (
        "Your Guildhall summary: 2 new notifications")


def test_the_reason_names_each_choice_once_in_order():
    items = [Item("payment_failed"), Item("answer"), Item("refund"), Item("mention")]
    assert preferences_in(items) == ["membership", "answer", "mention"]
    assert reason(["answer"], summary=False) == (
        "You are getting this because you chose to hear about answers to your questions "
        "right away.")
    assert reason(["answer", "reply", "mention"], summary=True) == (
        "You are getting this because you chose a daily summary of answers to your "
        "questions, replies to your posts and mentions of you.")
