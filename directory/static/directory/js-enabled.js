// For pages that cannot carry a CSP nonce (error pages): mark JavaScript as available.
document.body.className += " js-enabled" + ("noModule" in HTMLScriptElement.prototype ? " govuk-frontend-supported" : "");
