// Saves what is typed into a minute to the server as it is typed (a draft), so a reload or a
// dropped connection loses nothing. Without this script the Save button works the same.
(function () {
  "use strict";
  var form = document.querySelector("form[data-draft-url]");
  if (!form || !window.fetch) return;
  var status = document.getElementById("draft-status");
  var fields = form.querySelectorAll("textarea[data-draft]");
  var WAIT_MS = 800;
  var timer = null;
  var inFlight = false;
  var again = false;
  var submitting = false;

  function body() {
    var data = new FormData();
    data.append("csrfmiddlewaretoken", form.querySelector("[name=csrfmiddlewaretoken]").value);
    for (var i = 0; i < fields.length; i++) data.append(fields[i].name, fields[i].value);
    return data;
  }

  function say(text) {
    if (status) status.textContent = text;
  }

  function save() {
    timer = null;
    if (submitting) return;
    if (inFlight) {
      again = true;
      return;
    }
    inFlight = true;
    fetch(form.getAttribute("data-draft-url"), {
      method: "POST",
      body: body(),
      credentials: "same-origin",
      headers: { "X-Requested-With": "fetch" },
    })
      .then(function (response) {
        if (!response.ok) throw new Error("not saved");
        return response.json();
      })
      .then(function (saved) {
        form.setAttribute("data-draft-saved", saved.saved_at);
        say("Draft saved at " + saved.saved_at_display + ".");
      })
      .catch(function () {
        say("Draft not saved: check your connection. Your text is still on this page.");
      })
      .then(function () {
        inFlight = false;
        if (again) {
          again = false;
          save();
        }
      });
  }

  form.addEventListener("input", function (event) {
    if (!event.target.hasAttribute || !event.target.hasAttribute("data-draft")) return;
    if (timer) clearTimeout(timer);
    timer = setTimeout(save, WAIT_MS);
  });

  // The Save button keeps the minute itself: no draft may land after it.
  form.addEventListener("submit", function () {
    submitting = true;
    if (timer) clearTimeout(timer);
    timer = null;
  });

  // Leaving with a save still waiting: send it now.
  window.addEventListener("pagehide", function () {
    if (timer && !submitting && navigator.sendBeacon) {
      clearTimeout(timer);
      navigator.sendBeacon(form.getAttribute("data-draft-url"), body());
    }
  });
})();
