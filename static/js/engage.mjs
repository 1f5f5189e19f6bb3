// Starts the NHS.UK frontend components (header menu, error summary focus, and so on).
// Every journey works without this script; it only improves them.
import { initAll } from "../vendor/nhsuk-frontend/nhsuk-frontend.min.js";

initAll();
