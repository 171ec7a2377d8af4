// Polls the status of report runs still being made and reloads the page when one finishes.
// Without JavaScript the page's "Check progress" link does the same.
(function () {
  var rows = document.querySelectorAll("[data-run-status-url]");
  if (!rows.length || !window.fetch) return;
  function poll() {
    var pending = 0;
    rows.forEach(function (row) {
      if (row.getAttribute("data-done") === "true") return;
      pending += 1;
      fetch(row.getAttribute("data-run-status-url"), {
        credentials: "same-origin",
        headers: { "X-Background-Poll": "1" }
      })
        .then(function (response) { return response.ok ? response.json() : null; })
        .then(function (data) {
          if (!data) return;
          var label = row.querySelector(".app-run-progress");
          if (label) label.textContent = data.label + (data.status === "rendering" ? " (" + data.progress + "%)" : "");
          if (data.status === "ready" || data.status === "failed") {
            row.setAttribute("data-done", "true");
            window.location.reload();
          }
        })
        .catch(function () {});
    });
    if (pending) window.setTimeout(poll, 2000);
  }
  window.setTimeout(poll, 1000);
})();
