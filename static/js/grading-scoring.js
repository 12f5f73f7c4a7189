// 附件4 scoring page: keep the running total and its band (C1; a veto forces 较差, C4) up to date while typing.
// The server computes the same on save and is the authority; this is only a preview. Thresholds come from the
// form's data attributes (rendered from grading/rules.py), so there is one source for them.
(function () {
  "use strict";
  var form = document.getElementById("gs-form");
  if (!form) { return; }
  var GOOD = Number(form.getAttribute("data-good"));
  var FAIRLY_GOOD = Number(form.getAttribute("data-fairly-good"));
  var AVERAGE = Number(form.getAttribute("data-average"));
  var LABELS = { good: "好", fairly_good: "较好", average: "一般", poor: "较差" };
  var totalEl = document.getElementById("gs-total");
  var bandEl = document.getElementById("gs-band");
  var hint = document.getElementById("gs-override-hint");
  var select = form.querySelector("select[name=grade]");

  function tenths(value) {
    // Sum in tenths of a point so that 0.1 + 0.2 stays 0.3.
    var n = Number(String(value).trim());
    return isFinite(n) && String(value).trim() !== "" ? Math.round(n * 10) : 0;
  }

  function band(total, vetoed) {
    if (vetoed) { return "poor"; }
    if (total >= GOOD) { return "good"; }
    if (total >= FAIRLY_GOOD) { return "fairly_good"; }
    if (total >= AVERAGE) { return "average"; }
    return "poor";
  }

  function update() {
    var sum = 0;
    var filled = 0;
    form.querySelectorAll("input.gs-points").forEach(function (input) {
      var max = Number(input.getAttribute("max"));
      var value = tenths(input.value);
      if (input.value.trim() !== "") { filled += 1; }
      input.classList.toggle("gs-invalid", value < 0 || value > Math.round(max * 10));
      sum += value;
    });
    var vetoed = Array.prototype.some.call(
      form.querySelectorAll(".gs-veto-row input[type=checkbox]"), function (box) { return box.checked; });
    var total = sum / 10;
    var grade = band(total, vetoed);
    var label = filled || vetoed ? LABELS[grade] : "待评分";
    totalEl.textContent = String(total);
    bandEl.textContent = label + (vetoed ? "(触发否决)" : "");
    if (select) {
      var auto = select.querySelector("option[value='']");
      if (auto) { auto.textContent = "按得分确定(" + label + ")"; }
      if (hint) { hint.hidden = select.value === "" || select.value === grade; }
    }
  }

  form.addEventListener("input", update);
  form.addEventListener("change", update);
  update();
})();
