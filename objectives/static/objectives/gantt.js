/* The Gantt of a plan or an objective (frappe-gantt, served locally). Dragging a task asks the
   API what moves with it (finish-to-start links) and shows it, due dates pushed in red; the
   moves are saved only when the person confirms, with the version read (a conflict says so). */
(function () {
  "use strict";

  function csrfToken() {
    try { return JSON.parse(document.body.getAttribute("hx-headers"))["X-CSRFToken"]; } catch (e) { return ""; }
  }

  function isoDay(date) {
    var local = new Date(date.getTime() - date.getTimezoneOffset() * 60000);
    return local.toISOString().slice(0, 10);
  }

  function post(url, body) {
    return fetch(url, {
      method: "POST", credentials: "same-origin",
      headers: {"Content-Type": "application/json", "X-CSRFToken": csrfToken(), "Accept": "application/json"},
      body: JSON.stringify(body)
    }).then(function (response) {
      return response.json().catch(function () { return {}; }).then(function (data) { return {status: response.status, data: data}; });
    });
  }

  function messageOf(answer) {
    var data = answer.data || {};
    if (data.detail) return data.detail;
    var parts = [];
    Object.keys(data).forEach(function (key) { parts.push([].concat(data[key]).join(" ")); });
    return parts.join(" ") || String(answer.status);
  }

  function showPreview(panel, answer, onApply) {
    var list = panel.querySelector("ul");
    list.textContent = "";
    var pushed = false;
    answer.data.moves.forEach(function (move) {
      var item = document.createElement("li");
      item.textContent = move.title + " : " + move.start_on + " → " + move.due_on +
        (move.pushes_due_date ? " (" + move.old_due_on + " → " + move.due_on + ")" : "");
      if (move.pushes_due_date) { item.className = "pushed"; pushed = true; }
      list.appendChild(item);
    });
    panel.querySelector(".warn").hidden = !pushed;
    panel.querySelector(".error").hidden = true;
    panel.querySelector("[data-move=apply]").disabled = !answer.data.may_apply;
    panel.hidden = false;
    panel.scrollIntoView({block: "nearest"});
    panel.querySelector("[data-move=apply]").onclick = onApply;
    panel.querySelector("[data-move=cancel]").onclick = function () { window.location.reload(); };
  }

  function showError(panel, text) {
    var error = panel.querySelector(".error");
    error.textContent = text;
    error.hidden = false;
    panel.hidden = false;
  }

  document.addEventListener("DOMContentLoaded", function () {
    var holder = document.getElementById("gantt");
    var config = document.getElementById("gantt-config");
    var source = document.getElementById("gantt-tasks");
    if (!holder || !config || !source || !window.Gantt) return;
    var tasks = JSON.parse(source.textContent);
    if (!tasks.length) return;
    var versions = {};
    tasks.forEach(function (task) { versions[task.id] = task.version; });
    var panel = document.getElementById("gantt-move");
    var moveUrl = function (id) { return config.dataset.moveUrl.replace("/0/", "/" + id + "/"); };
    var gantt = new window.Gantt(holder, tasks, {
      view_mode: "Week",
      language: config.dataset.language === "en" ? "en" : "fr",
      readonly: config.dataset.readonly === "1",
      readonly_progress: true,
      move_dependencies: false,
      today_button: false,
      view_mode_select: false,
      scroll_to: "start",
      on_date_change: function (task, start, end) {
        var body = {start_on: isoDay(start), due_on: isoDay(end), version: versions[task.id], apply: false};
        post(moveUrl(task.id), body).then(function (answer) {
          if (answer.status !== 200) { showError(panel, messageOf(answer)); return; }
          showPreview(panel, answer, function () {
            body.apply = true;
            post(moveUrl(task.id), body).then(function (applied) {
              if (applied.status === 200) { window.location.reload(); } else { showError(panel, messageOf(applied)); }
            });
          });
        });
      }
    });
    // Open on the plan's first task (frappe-gantt pads the chart with empty weeks before it).
    function scrollToFirstTask() {
      var container = holder.querySelector(".gantt-container") || holder.parentElement;
      var starts = Array.prototype.map.call(holder.querySelectorAll(".bar-wrapper .bar"), function (bar) {
        return parseFloat(bar.getAttribute("x"));
      }).filter(function (x) { return !isNaN(x); });
      if (container && starts.length) container.scrollLeft = Math.max(0, Math.min.apply(null, starts) - 40);
    }
    window.setTimeout(scrollToFirstTask, 0);
    document.querySelectorAll("[data-view]").forEach(function (button) {
      button.addEventListener("click", function () {
        gantt.change_view_mode(button.dataset.view);
        window.setTimeout(scrollToFirstTask, 0);
      });
    });
  });
})();
