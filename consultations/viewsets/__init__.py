"""The Wagtail admin screens of participation, one module per concept."""
