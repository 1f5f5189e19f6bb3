from wagtail import hooks

from engage.privacy import ERASE_LOG_ACTION, REMOVE_UNVERIFIED_LOG_ACTION


@hooks.register("register_log_actions")
def register_account_log_actions(actions):
    actions.register_action(ERASE_LOG_ACTION, "Erase account", "A resident deleted their account")
    actions.register_action(
        REMOVE_UNVERIFIED_LOG_ACTION,
        "Remove unconfirmed accounts",
        "Accounts whose email address was never confirmed were deleted",
    )
