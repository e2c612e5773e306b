// The signature pad: pointer events (touch, pen and mouse alike) draw on a canvas; on submit
// the drawing goes into the hidden field as a PNG data URL. No library, no inline script (CSP).
(function () {
  "use strict";
  function setUp(form) {
    var canvas = form.querySelector("[data-signature-pad]");
    var field = form.querySelector("input[name=image]");
    var context = canvas.getContext("2d");
    var drawing = false, drawn = false, last = null;
    context.lineWidth = 2.5; context.lineCap = "round"; context.lineJoin = "round"; context.strokeStyle = "#102040";

    function point(event) {
      var box = canvas.getBoundingClientRect();
      // The canvas is drawn at its own resolution whatever its displayed size.
      return {x: (event.clientX - box.left) * canvas.width / box.width,
              y: (event.clientY - box.top) * canvas.height / box.height};
    }
    canvas.addEventListener("pointerdown", function (event) {
      drawing = true; last = point(event); canvas.setPointerCapture(event.pointerId); event.preventDefault();
    });
    canvas.addEventListener("pointermove", function (event) {
      if (!drawing) return;
      var next = point(event);
      context.beginPath(); context.moveTo(last.x, last.y); context.lineTo(next.x, next.y); context.stroke();
      last = next; drawn = true; event.preventDefault();
    });
    function stop() { drawing = false; }
    canvas.addEventListener("pointerup", stop);
    canvas.addEventListener("pointercancel", stop);
    form.querySelector("[data-signature-clear]").addEventListener("click", function () {
      context.clearRect(0, 0, canvas.width, canvas.height); drawn = false; field.value = "";
    });
    form.addEventListener("submit", function (event) {
      if (!drawn) { event.preventDefault(); canvas.focus(); canvas.classList.add("empty"); return; }
      field.value = canvas.toDataURL("image/png");
    });
  }
  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("[data-signature-form]").forEach(setUp);
  });
})();
