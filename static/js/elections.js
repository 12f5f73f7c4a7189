// Election pages. No inline scripts (CSP). Every check here is a preview: the server decides on save.
(function () {
  "use strict";

  // Attendance (A1): recompute "more than 4/5 present" as names are ticked or a head count is typed.
  // The threshold comes from the page (rendered from elections/rules.py), so there is one source for it.
  var quorum = document.getElementById("el-quorum");
  var attendance = document.getElementById("el-attendance");
  if (quorum && attendance) {
    var needed = Number(quorum.getAttribute("data-needed"));
    var due = Number(quorum.getAttribute("data-due"));
    var presentEl = quorum.querySelector(".el-present");
    var stateEl = quorum.querySelector(".el-quorum-state");
    var headcount = document.getElementById("el-headcount");
    var updateQuorum = function () {
      var typed = headcount && headcount.value.trim() !== "" ? Number(headcount.value) : NaN;
      var ticked = attendance.querySelectorAll("input[name=present]:checked").length;
      var present = isFinite(typed) ? typed : ticked;
      presentEl.textContent = String(present);
      var met = due > 0 && present >= needed;
      var over = present > due;
      stateEl.textContent = over ? "实到会人数多于应到会人数,请核对"
        : met ? "超过4/5,可以选举" : "未超过4/5,不能选举,还差" + Math.max(needed - present, 0) + "人";
      quorum.classList.toggle("el-met", met && !over);
      quorum.classList.toggle("el-unmet", !met || over);
    };
    attendance.addEventListener("change", updateQuorum);
    if (headcount) { headcount.addEventListener("input", updateQuorum); }
    updateQuorum();
  }

  // One ballot (A7/A8): say before saving how it will read. A write-in of a printed name, or more write-ins than
  // 不赞成 marks, is void and the ballot's marks still count; more "for" than seats voids the ballot.
  var ballot = document.getElementById("el-ballot");
  var ballotCheck = document.getElementById("el-ballot-check");
  if (ballot && ballotCheck) {
    var seats = Number(ballotCheck.getAttribute("data-seats"));
    var printed = Array.prototype.map.call(ballot.querySelectorAll("fieldset.el-mark legend"), function (l) {
      return l.textContent.trim();
    });
    var updateBallot = function () {
      var forCount = ballot.querySelectorAll("input[type=radio][value=for]:checked").length;
      var against = ballot.querySelectorAll("input[type=radio][value=against]:checked").length;
      var raw = ballot.querySelector("input[name=write_ins]").value.replace(/[,,\s]/g, "、");
      var written = [];
      raw.split("、").forEach(function (w) {
        w = w.trim();
        if (w !== "" && written.indexOf(w) < 0) { written.push(w); }
      });
      var onBallot = written.filter(function (w) { return printed.indexOf(w) >= 0; });
      var others = written.filter(function (w) { return printed.indexOf(w) < 0; });
      var notes = [];
      if (onBallot.length) { notes.push(onBallot.join("、") + "是选票上的候选人,另选不计票"); }
      if (others.length > against) {
        notes.push("另选他人" + others.length + "人,多于划“不赞成”的" + against + "人:另选无效,其余标记有效");
        others = [];
      }
      var chosen = forCount + others.length;
      var invalid = chosen > seats;
      if (invalid) {
        notes.push("赞成" + chosen + "人(含另选),多于应选" + seats + "名:将计为无效票");
      } else {
        notes.push("赞成" + chosen + "人,有效票");
      }
      ballotCheck.textContent = notes.join(";");
      ballotCheck.classList.toggle("el-invalid", invalid);
    };
    ballot.addEventListener("change", updateBallot);
    ballot.addEventListener("input", updateBallot);
    updateBallot();
  }

  // Finishing the entry: K2, K3 and A6 against what was entered, as the numbers are typed.
  var finish = document.getElementById("el-finish");
  var tallyBox = document.getElementById("el-tally");
  var list = document.getElementById("el-finish-checks");
  if (finish && tallyBox && list) {
    var present = Number(tallyBox.getAttribute("data-present"));
    var entered = Number(tallyBox.getAttribute("data-entered"));
    var issuedIn = finish.querySelector("input[name=issued]");
    var returnedIn = finish.querySelector("input[name=returned]");
    var updateFinish = function () {
      var items = [];
      var issued = Number(issuedIn.value);
      var returned = Number(returnedIn.value);
      if (issuedIn.value !== "" && issued > present) {
        items.push(["error", "发出选票" + issued + "张,多于实到会人数" + present + "人"]);
      }
      if (returnedIn.value !== "" && returned !== entered) {
        items.push(["error", "录入选票" + entered + "张,不等于收回选票" + returned + "张"]);
      }
      if (issuedIn.value !== "" && returnedIn.value !== "" && returned > issued) {
        items.push(["error", "收回选票" + returned + "张,多于发出选票" + issued + "张,选举无效,应重新选举"]);
      } else if (issuedIn.value !== "" && returnedIn.value !== "" && returned < issued) {
        items.push(["warning", "有" + (issued - returned) + "张选票未收回,请确认"]);
      }
      list.textContent = "";
      items.forEach(function (item) {
        var li = document.createElement("li");
        li.className = "finding finding-" + item[0];
        li.textContent = item[1];
        list.appendChild(li);
      });
    };
    finish.addEventListener("input", updateFinish);
    updateFinish();
  }
})();
