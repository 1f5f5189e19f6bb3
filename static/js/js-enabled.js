// Lets the NHS.UK frontend styles know that scripts run, before the page paints.
document.body.className += " js-enabled" + ("noModule" in HTMLScriptElement.prototype ? " nhsuk-frontend-supported" : "");
