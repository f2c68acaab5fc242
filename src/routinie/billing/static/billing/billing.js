// The card form of /account/billing/: the processor's script (Stripe.js, or the sandbox's
// stand-in) makes the payment method at the processor; only its id is posted to us.
(function () {
  "use strict";
  const form = document.getElementById("card-form");
  if (!form || typeof Stripe === "undefined") return;
  const stripe = Stripe(form.dataset.key);
  const card = stripe.elements().create("card");
  card.mount("#card-element");
  const errors = document.getElementById("card-errors");
  const button = form.querySelector("button[type=submit]");
  const csrf = document.querySelector('meta[name="csrf-token"]');
  let ready = false;

  function fail(message) {
    errors.textContent = message;
    errors.classList.add("alert", "alert-error");
    button.disabled = false;
  }

  form.addEventListener("submit", async function (event) {
    if (ready) return;
    event.preventDefault();
    errors.textContent = "";
    errors.classList.remove("alert", "alert-error");
    button.disabled = true;
    try {
      const reply = await fetch(form.dataset.setupUrl, {
        method: "POST",
        headers: { "X-CSRFToken": csrf ? csrf.content : "" },
        credentials: "same-origin",
      });
      const body = await reply.json().catch(function () { return {}; });
      if (!reply.ok) return fail(body.detail || "The payment processor did not answer. Try again.");
      const result = await stripe.confirmCardSetup(body.client_secret, { payment_method: { card: card } });
      if (result.error) {
        return fail((result.error && result.error.message) || "The card was refused.");
      }
      form.elements.payment_method_id.value = result.setupIntent.payment_method;
      ready = true;
      form.submit();
    } catch (error) {
      fail("The card could not be checked: " + (error && error.message ? error.message : "try again."));
    }
  });
})();
