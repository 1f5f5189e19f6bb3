// Starts the NHS.UK frontend components (header menu, error summary focus, and so on).
// Every journey works without this script; it only improves them.
import { initAll } from "../vendor/nhsuk-frontend/nhsuk-frontend.min.js";

initAll();

// The safety panel (shown before a post that reads as urgent, or holds personal data, is
// sent) takes the focus, as the error summary does, so it is read first.
document.querySelector("[data-engage-autofocus]")?.focus();
