// A new passkey appears in the list of the page (django-otp-webauthn's event).
document.addEventListener("otp_webauthn.register_complete", () => window.location.reload());
// Recovery codes: the print button (no inline script under the CSP).
document.addEventListener("click", (event) => {
  if (event.target.closest("[data-print]")) window.print();
});
