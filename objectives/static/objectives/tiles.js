/* Composing a dashboard in place: drag a tile by its handle (SortableJS, served locally) or
   move it with its up and down buttons (the keyboard way), change its size or period. Every
   change is saved through the tiles' API (PATCH with the version read, the same service as
   the tile's form); a refusal or a conflict is said in the status line and nothing is lost:
   the page reloads on the saved state. */
(function () {
  "use strict";

  function csrfToken() {
    try { return JSON.parse(document.body.getAttribute("hx-headers"))["X-CSRFToken"]; } catch (e) { return ""; }
  }

  function patch(tile, body) {
    body.version = Number(tile.getAttribute("data-version"));
    return fetch(tile.getAttribute("data-api"), {
      method: "PATCH", credentials: "same-origin",
      headers: {"Content-Type": "application/json", "X-CSRFToken": csrfToken(), "Accept": "application/json"},
      body: JSON.stringify(body)
    }).then(function (response) {
      return response.json().catch(function () { return {}; }).then(function (data) {
        if (!response.ok) {
          var error = new Error(data.detail || Object.keys(data).map(function (key) { return [].concat(data[key]).join(" "); }).join(" ") || String(response.status));
          throw error;
        }
        tile.setAttribute("data-version", data.version);
        return data;
      });
    });
  }

  function say(board, text, failed) {
    var status = board.querySelector("[data-tiles-status]");
    status.textContent = text;
    status.classList.toggle("error", Boolean(failed));
  }

  function tilesOf(board) {
    return Array.prototype.slice.call(board.querySelectorAll("[data-tile]"));
  }

  // Each tile whose place changed gets its new order, one request after the other (the
  // versions move with each save).
  function saveOrder(board) {
    var changed = tilesOf(board).filter(function (tile, index) { return Number(tile.getAttribute("data-order")) !== index; });
    var index = {};
    tilesOf(board).forEach(function (tile, position) { index[tile.getAttribute("data-tile")] = position; });
    say(board, board.getAttribute("data-saving"));
    return changed.reduce(function (done, tile) {
      return done.then(function () {
        var order = index[tile.getAttribute("data-tile")];
        return patch(tile, {order: order}).then(function () { tile.setAttribute("data-order", order); });
      });
    }, Promise.resolve()).then(function () {
      say(board, board.getAttribute("data-saved"));
    }).catch(function (error) {
      say(board, board.getAttribute("data-failed") + " " + error.message, true);
      window.setTimeout(function () { window.location.reload(); }, 2500);
    });
  }

  function move(board, tile, step) {
    var tiles = tilesOf(board);
    var target = tiles.indexOf(tile) + step;
    if (target < 0 || target >= tiles.length) return;
    var container = tile.parentNode;
    if (step < 0) container.insertBefore(tile, tiles[target]);
    else container.insertBefore(tile, tiles[target].nextSibling);
    saveOrder(board);
  }

  function change(board, tile, body) {
    say(board, board.getAttribute("data-saving"));
    patch(tile, body).then(function () {
      window.location.reload();  // a new size or period is drawn by the server
    }).catch(function (error) {
      say(board, board.getAttribute("data-failed") + " " + error.message, true);
    });
  }

  function setUp(board) {
    var container = board.querySelector("[data-testid=tiles]");
    if (window.Sortable) {
      window.Sortable.create(container, {
        handle: ".tile-handle", draggable: "[data-tile]", animation: 150,
        forceFallback: true, fallbackTolerance: 3,  // pointer events: the same on a mouse, a pen and a finger
        onEnd: function (event) { if (event.oldIndex !== event.newIndex) saveOrder(board); }
      });
    }
    board.addEventListener("click", function (event) {
      var button = event.target.closest("[data-move]");
      if (!button) return;
      event.preventDefault();
      var tile = button.closest("[data-tile]");
      move(board, tile, Number(button.getAttribute("data-move")));
      button.focus();
    });
    board.addEventListener("change", function (event) {
      var field = event.target.closest("[data-field]");
      if (!field) return;
      var tile = field.closest("[data-tile]");
      var body = {};
      body[field.getAttribute("data-field")] = field.value === "" ? null : (field.getAttribute("data-field") === "size" ? field.value : Number(field.value));
      change(board, tile, body);
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    Array.prototype.forEach.call(document.querySelectorAll("[data-tiles-board]"), setUp);
  });
})();
