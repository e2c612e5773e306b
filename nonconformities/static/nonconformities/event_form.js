/* The event form shows the fields its type asks for (nonconformities/event_fields.py, sent as
   the form's data-groups-by-type), and follows a change of type before saving. Without this
   script the server's choice stands: every field while no type is chosen, and saving drops
   what the type does not use. No inline script: the page runs under a Content-Security-Policy. */
(function () {
  "use strict";

  function follow(form) {
    var select = form.querySelector("select[name=event_type]");
    var table = JSON.parse(form.getAttribute("data-groups-by-type"));
    var groups = table[select.value] || [];
    form.querySelectorAll("[data-field-group]").forEach(function (field) {
      field.hidden = groups.indexOf(field.getAttribute("data-field-group")) === -1;
    });
  }

  function start() {
    document.querySelectorAll("form[data-groups-by-type]").forEach(function (form) {
      var select = form.querySelector("select[name=event_type]");
      if (!select) {
        return;
      }
      select.addEventListener("change", function () { follow(form); });
      follow(form);
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
}());
