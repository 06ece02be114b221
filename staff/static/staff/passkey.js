// The admin's second step with a passkey: ask the browser for an assertion with
// the options the page carries (a JSON data block, not a script: the admin's CSP
// runs only scripts from this site), and post it back with the form. What it
// says comes translated from the page: the status element's data attributes.
// The button comes disabled and is enabled here, once a click can do something.
"use strict";

(function () {
  const button = document.getElementById("passkey-button");
  const data = document.getElementById("passkey-options");
  if (!button || !data) return;
  const form = button.form;
  const status = document.getElementById("passkey-status");

  if (!window.PublicKeyCredential || !PublicKeyCredential.parseRequestOptionsFromJSON) {
    status.textContent = status.dataset.unsupported;
    return;
  }

  button.addEventListener("click", async () => {
    status.textContent = "";
    try {
      const publicKey = PublicKeyCredential.parseRequestOptionsFromJSON(
        JSON.parse(data.textContent),
      );
      const credential = await navigator.credentials.get({ publicKey });
      form.elements.credential.value = JSON.stringify(credential.toJSON());
      const action = document.createElement("input");
      action.type = "hidden";
      action.name = "action";
      action.value = "passkey";
      form.appendChild(action);
      form.submit();
    } catch (error) {
      // Cancelled, timed out, or no passkey for this site on this device.
      status.textContent = status.dataset.failed;
    }
  });
  button.disabled = false;
})();
