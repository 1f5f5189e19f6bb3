"""How a moderation decision reads in Wagtail's history."""

from wagtail.log_actions import LogFormatter

from consultations.models import ModerationReason


class DecisionLogFormatter(LogFormatter):
    """A moderation decision in Wagtail's history: what was done, why, and the note."""

    def format_message(self, log_entry):
        data = log_entry.data or {}
        message = self.message
        if data.get("reason") in ModerationReason.values:
            message += f". Reason: {ModerationReason(data['reason']).label}"
        if data.get("note"):
            message += f". Note: {data['note']}"
        return message


def decision_log_formatter(label: str, message: str) -> type[DecisionLogFormatter]:
    return type(
        "DecisionLogFormatter", (DecisionLogFormatter,), {"label": label, "message": message}
    )
