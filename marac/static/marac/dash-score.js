// Counts the DASH "yes" answers as they are chosen. The server counts again on submit, so the
// form works the same without this script.
(function () {
  "use strict";
  var panel = document.getElementById("dash-score-panel");
  var output = document.getElementById("dash-score");
  if (!panel || !output) return;
  var HIGH_RISK = 14;

  function update() {
    var answers = document.querySelectorAll("input.dash-answer:checked");
    var yes = 0;
    for (var i = 0; i < answers.length; i++) {
      if (answers[i].value === "yes") yes += 1;
    }
    var total = document.querySelectorAll("input.dash-answer[value='yes']").length;
    output.textContent =
      "DASH score: " + yes + " of " + total + " answered yes" +
      (yes >= HIGH_RISK ? " (visible high risk)" : "") + ". Questions answered: " +
      answers.length + " of " + total + ".";
    panel.hidden = false;
  }

  document.addEventListener("change", function (event) {
    if (event.target.classList && event.target.classList.contains("dash-answer")) update();
  });
  update();
})();
