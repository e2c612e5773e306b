/* The audit checklist, online and offline (issue 12; design: research A.4).
   Every change is an operation with its own id (crypto.randomUUID) kept in IndexedDB until the
   server confirms it; photos are downscaled here and kept as blobs until their upload is
   confirmed. Sync runs on page load, on reconnection, when the page is shown again, on a timer
   and with the "Sync" button; the same path is used online and offline. */
(function () {
  "use strict";
  const config = JSON.parse(document.getElementById("checklist-config").textContent);
  const S = config.strings;
  const root = document.getElementById("checklist");
  const $ = (selector) => root.querySelector(selector);
  const questionsBox = $(".cl-questions");
  const MAX_EDGE = 1600;
  const SYNC_EVERY_MS = 60000;

  let db = null;
  let deviceId = null;
  let bundle = null;
  let ops = [];       // this audit's operations not yet confirmed (oldest first)
  let removals = [];  // this audit's photo removals not yet confirmed (each its own id)
  let uploading = null;  // the photo whose upload is in flight
  let photos = [];    // this audit's photos not yet confirmed (without their blobs)
  let current = 0;
  let syncing = null;
  let needsSignIn = false;
  let editAnyway = false;
  let lastError = "";
  let lastSyncAt = null;

  const format = (text, values) => text.replace(/\{(\w+)\}/g, (m, key) => (key in values ? values[key] : m));
  const el = (tag, attrs, children) => {
    const node = document.createElement(tag);
    Object.entries(attrs || {}).forEach(([key, value]) => {
      if (value === null || value === undefined || value === false) return;
      if (key === "text") node.textContent = value;
      else if (key === "dataset") Object.assign(node.dataset, value);
      else node.setAttribute(key, value === true ? "" : value);
    });
    (children || []).forEach((child) => child && node.append(child));
    return node;
  };

  // --- storage ------------------------------------------------------------------------------

  async function openStore() {
    db = await idb.openDB("piloteqse", 1, {
      upgrade(database) {
        database.createObjectStore("bundles", { keyPath: "auditId" });
        database.createObjectStore("ops", { keyPath: "op_id" }).createIndex("audit", "audit");
        database.createObjectStore("photos", { keyPath: "uuid" }).createIndex("audit", "audit");
        database.createObjectStore("meta");
      },
      terminated() { db = null; },
    });
    deviceId = await db.get("meta", "device");
    if (!deviceId) {
      deviceId = crypto.randomUUID();
      await db.put("meta", deviceId, "device");
    }
  }

  async function store() {
    if (!db) await openStore();
    return db;
  }

  async function loadQueues() {
    const database = await store();
    const kept = (await database.getAllFromIndex("ops", "audit", config.auditId)).sort((a, b) => a.seq - b.seq);
    ops = kept.filter((op) => op.kind !== "remove-photo");
    removals = kept.filter((op) => op.kind === "remove-photo");
    photos = (await database.getAllFromIndex("photos", "audit", config.auditId)).map((p) => ({ ...p, blob: undefined }))
      .sort((a, b) => a.seq - b.seq);
  }

  async function saveBundle(data) {
    bundle = data;
    await (await store()).put("bundles", { auditId: config.auditId, data, savedAt: new Date().toISOString() });
  }

  // --- network -------------------------------------------------------------------------------

  function csrfToken() {
    const match = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
    return match ? decodeURIComponent(match[1]) : "";
  }

  class HttpError extends Error {
    constructor(status, message) { super(message); this.status = status; }
  }

  async function api(path, options) {
    const headers = { "X-CSRFToken": csrfToken(), Accept: "application/json", ...(options && options.headers) };
    const response = await fetch(config.api + path, { credentials: "same-origin", ...options, headers });
    let body = null;
    try { body = await response.json(); } catch (error) { body = null; }
    if (!response.ok) {
      const message = (body && (body.error || body.detail)) || response.statusText;
      throw new HttpError(response.status, message);
    }
    return body;
  }

  const postJson = (path, data) => api(path, { method: "POST", body: JSON.stringify(data),
    headers: { "Content-Type": "application/json" } });

  // --- state ---------------------------------------------------------------------------------

  function latestOp(questionId) {
    for (let i = ops.length - 1; i >= 0; i--) if (ops[i].question === questionId && ops[i].status !== "rejected") return ops[i];
    return null;
  }

  function valuesOf(question) {
    const answer = question.answer || {};
    const base = { result: answer.result || "", comment: answer.comment || "", evidence: answer.evidence || "",
      score: answer.score === undefined ? null : answer.score };
    const op = latestOp(question.id);
    return op ? { ...base, ...op.values } : base;
  }

  const isAnswered = (question) => Boolean(valuesOf(question).result);
  const leaseElsewhere = () => bundle && bundle.lease && bundle.lease.device !== deviceId;
  const mayEdit = () => bundle && bundle.may_answer && (!leaseElsewhere() || editAnyway);

  // --- changes -------------------------------------------------------------------------------

  async function recordChange(question, changes) {
    const before = valuesOf(question);
    // A field left without a change (a blur after a change already recorded) makes no operation.
    if (Object.keys(changes).every((name) => before[name] === changes[name])) return;
    const values = { ...before, ...changes };
    const op = { op_id: crypto.randomUUID(), audit: config.auditId, question: question.id, values,
      base_version: question.version || 0, made_at: new Date().toISOString(), seq: Date.now() + Math.random(),
      status: "pending" };
    // In memory first, so that the next change (a click right after) starts from this one,
    // and counted at once: the pending count never says 0 while a change is unsent.
    ops.push(op);
    refreshCard(question, { keepFocus: true });
    renderStatus();
    await keep(store().then((database) => database.put("ops", op)));
    scheduleSync();
  }

  // Writes to the device still under way: a sync waits for them, so that it never deletes a
  // confirmed change before its own write lands (which would bring it back on the next load).
  let writes = Promise.resolve();
  function keep(write) {
    writes = writes.then(() => write).catch(() => null);
    return write;
  }

  async function downscale(file) {
    const probe = await createImageBitmap(file);
    const scale = Math.min(1, MAX_EDGE / Math.max(probe.width, probe.height));
    const width = Math.max(1, Math.round(probe.width * scale));
    const height = Math.max(1, Math.round(probe.height * scale));
    probe.close();
    // Resized while decoding: a 12 MP photo never meets the tablet's canvas size limit whole.
    const bitmap = await createImageBitmap(file, { resizeWidth: width, resizeHeight: height, resizeQuality: "high" });
    const canvas = typeof OffscreenCanvas === "function" ? new OffscreenCanvas(width, height)
      : Object.assign(document.createElement("canvas"), { width, height });
    canvas.getContext("2d").drawImage(bitmap, 0, 0, width, height);
    bitmap.close();
    if (canvas.convertToBlob) return canvas.convertToBlob({ type: "image/jpeg", quality: 0.8 });
    return new Promise((resolve) => canvas.toBlob(resolve, "image/jpeg", 0.8));
  }

  async function addPhotos(question, files, stateNode) {
    for (const file of files) {
      try {
        const blob = await downscale(file);
        const photo = { uuid: crypto.randomUUID(), audit: config.auditId, question: question.id,
          taken_at: new Date().toISOString(), bytes: blob.size, seq: Date.now() + Math.random(), status: "pending" };
        // One photo per transaction: a failed write loses nothing else.
        await keep(store().then((database) => database.put("photos", { ...photo, blob })));
        photos.push(photo);
      } catch (error) {
        stateNode.textContent = String(error.message || error);
        stateNode.classList.add("is-error");
      }
    }
    refreshCard(question, { keepFocus: true });
    renderStatus();
    scheduleSync();
  }

  async function removePhoto(question, uuid) {
    const local = photos.find((p) => p.uuid === uuid);
    if (local && uploading !== uuid) {
      // Never sent: forgetting it on the device is the whole removal.
      await keep(store().then((database) => database.delete("photos", uuid)));
      photos = photos.filter((p) => p !== local);
    } else if (!removals.some((r) => r.photo === uuid)) {
      // On the server (or on its way there): a removal of its own, kept until the server confirms.
      const removal = { op_id: crypto.randomUUID(), kind: "remove-photo", audit: config.auditId, question: question.id,
        photo: uuid, seq: Date.now() + Math.random(), status: "pending" };
      removals.push(removal);
      if (local) photos = photos.filter((p) => p !== local);
      refreshCard(question, { keepFocus: true });
      renderStatus();
      await keep(store().then((database) => database.put("ops", removal)));
    }
    refreshCard(question, { keepFocus: true });
    renderStatus();
    scheduleSync();
  }

  // --- sync ----------------------------------------------------------------------------------

  let syncTimer = null;
  function scheduleSync() {
    clearTimeout(syncTimer);
    syncTimer = setTimeout(() => sync(), 400);
  }

  // A change made while a sync is in flight is not in that sync's batch: asking again then
  // runs one more sync right after, instead of leaving the change for the next timer.
  let syncAgain = false;
  function sync() {
    if (syncing) { syncAgain = true; return syncing; }
    syncing = runSync().finally(() => {
      syncing = null;
      renderStatus();
      if (syncAgain) { syncAgain = false; sync(); }
    });
    return syncing;
  }

  async function runSync() {
    if (!navigator.onLine) { renderStatus(); return; }
    renderStatus(S.syncing);
    try {
      await sendOps();
      await sendPhotos();
      await sendRemovals();
      await saveBundle(await api("checklist/"));
      needsSignIn = false;
      lastError = "";
      lastSyncAt = new Date().toISOString();
      await (await store()).put("meta", lastSyncAt, "lastSync:" + config.auditId);
      renderAll();
    } catch (error) {
      // An ended session keeps the queue: the person signs in again and the sync resumes.
      const signedOut = error instanceof HttpError && (error.status === 401
        || (error.status === 403 && /session|authenti|CSRF/i.test(error.message)));
      if (signedOut) needsSignIn = true;
      else lastError = error.message || String(error);
    }
  }

  async function sendOps() {
    await writes;
    const pending = ops.filter((op) => op.status === "pending");
    if (!pending.length) return;
    const answer = await postJson("sync/", { device: deviceId, ops: pending.map((op) => ({
      op_id: op.op_id, question: op.question, values: op.values, base_version: op.base_version, made_at: op.made_at })) });
    const database = await store();
    const byId = new Map(pending.map((op) => [op.op_id, op]));
    for (const result of answer.results) {
      const op = byId.get(result.op_id);
      if (!op) continue;
      const question = bundle.questions.find((q) => q.id === op.question);
      if (result.status === "rejected") {
        op.status = "rejected";
        op.error = result.error;
        await database.put("ops", op);
        continue;
      }
      // Confirmed by the server (applied, already there, or kept as a conflict): the bundle
      // takes it over, then the device's copy is deleted.
      if (question && result.status === "applied") {
        question.answer = { ...(question.answer || {}), ...op.values, version: result.version };
        question.version = result.version;
      } else if (question && result.status === "conflict") {
        question.conflicts = (question.conflicts || []).concat([{ op_id: op.op_id, values: op.values,
          user_name: bundle.user.name, device: deviceId, made_at: op.made_at }]);
      }
      await saveBundle(bundle);
      await database.delete("ops", op.op_id);
      ops = ops.filter((kept) => kept.op_id !== op.op_id);
    }
  }

  async function sendPhotos() {
    const database = await store();
    for (const photo of photos.filter((p) => p.status === "pending")) {
      uploading = photo.uuid;
      const kept = await database.get("photos", photo.uuid);
      if (!kept) continue;
      const query = `?question=${photo.question}&taken_at=${encodeURIComponent(photo.taken_at)}`;
      try {
        await api(`photos/${photo.uuid}/${query}`, { method: "PUT", body: kept.blob,
          headers: { "Content-Type": kept.blob.type || "image/jpeg" } });
      } catch (error) {
        uploading = null;
        if (error instanceof HttpError && (error.status === 400 || error.status === 413)) {
          photo.status = "rejected";
          photo.error = error.message;
          await database.put("photos", { ...kept, status: "rejected", error: error.message });
          continue;
        }
        throw error;
      }
      await database.delete("photos", photo.uuid);
      photos = photos.filter((p) => p.uuid !== photo.uuid);
      uploading = null;
    }
    uploading = null;
  }

  async function sendRemovals() {
    await writes;
    const database = await store();
    for (const removal of removals.filter((r) => r.status === "pending")) {
      try {
        await api(`photos/${removal.photo}/?removal=${removal.op_id}`, { method: "DELETE" });
      } catch (error) {
        if (error instanceof HttpError && error.status === 400) {
          removal.status = "rejected";
          removal.error = error.message;
          await database.put("ops", removal);
          continue;
        }
        throw error;
      }
      // Removed, removed already or never there: confirmed, so the device forgets the removal.
      await database.delete("ops", removal.op_id);
      removals = removals.filter((r) => r !== removal);
    }
  }

  // --- preparing and releasing ------------------------------------------------------------------

  async function prepare() {
    if (!navigator.onLine) return notice(S.needsNetwork, "is-warning");
    try {
      await sync();
      const data = await postJson("offline/", { device: deviceId, device_label: navigator.platform || "" });
      await saveBundle(data);
      await keepPage();
      const persisted = navigator.storage && navigator.storage.persist ? await navigator.storage.persist() : false;
      if (!persisted) notice(S.persistRefused, "is-warning");
      else notice("");
      await showStorage();
      renderAll();
    } catch (error) {
      notice(error.message || String(error), "is-error");
    }
  }

  async function release() {
    if (!navigator.onLine) return notice(S.needsNetwork, "is-warning");
    try {
      await sync();
      await postJson("offline/release/", { device: deviceId });
      await saveBundle(await api("checklist/"));
      notice(S.released);
      renderAll();
    } catch (error) {
      notice(error.message || String(error), "is-error");
    }
  }

  async function keepPage() {
    // A worker that failed to install never gets ready: do not wait for it for ever.
    const ready = navigator.serviceWorker ? Promise.race([navigator.serviceWorker.ready,
      new Promise((resolve) => setTimeout(() => resolve(null), 5000))]) : null;
    const registration = await ready;
    if (registration && registration.active) registration.active.postMessage({ type: "keep-page", url: config.page });
    if (window.caches) {
      const cache = await caches.open("qse-pages");
      await cache.add(config.page).catch(() => null);
    }
  }

  async function showStorage() {
    if (!navigator.storage || !navigator.storage.estimate) return;
    const { usage, quota } = await navigator.storage.estimate();
    const mb = (bytes) => `${(bytes / 1048576).toFixed(1)} MB`;
    const node = $(".cl-storage");
    node.textContent = format(S.storage, { used: mb(usage || 0), quota: mb(quota || 0) });
    node.hidden = false;
  }

  async function resolve(question, conflict, choice, stateNode) {
    if (!navigator.onLine) { stateNode.textContent = S.needsNetwork; return; }
    try {
      await sync();
      await postJson(`conflicts/${conflict.op_id}/resolve/`, { choice });
      await saveBundle(await api("checklist/"));
      renderAll();
    } catch (error) {
      stateNode.textContent = error.message || String(error);
      stateNode.classList.add("is-error");
    }
  }

  // --- rendering ---------------------------------------------------------------------------------

  function notice(text, kind) {
    const node = $(".cl-notice");
    node.className = "cl-notice" + (kind ? " " + kind : "");
    node.replaceChildren(text || "");
    node.hidden = !text;
    return node;
  }

  function renderStatus(activity) {
    const net = $(".cl-net");
    net.textContent = navigator.onLine ? S.online : S.offline;
    net.classList.toggle("is-offline", !navigator.onLine);
    const waitingOps = ops.concat(removals).filter((op) => op.status === "pending").length;
    const waitingPhotos = photos.filter((p) => p.status === "pending").length;
    const pending = $(".cl-pending");
    pending.textContent = waitingOps + waitingPhotos ? format(S.pending, { ops: waitingOps, photos: waitingPhotos }) : S.nothingPending;
    pending.classList.toggle("has-pending", waitingOps + waitingPhotos > 0);
    pending.dataset.ops = waitingOps;
    pending.dataset.photos = waitingPhotos;
    $(".cl-last").textContent = activity || (lastSyncAt ? format(S.lastSync, { time: new Date(lastSyncAt).toLocaleString() }) : "");
    const problem = $(".cl-problem");
    problem.className = "cl-notice cl-problem" + (needsSignIn ? " is-warning" : " is-error");
    problem.hidden = !(needsSignIn || lastError);
    if (needsSignIn) {
      problem.replaceChildren(S.signIn + " ", el("a", { href: config.login, text: S.signInLink, "data-testid": "sign-in" }));
    } else {
      problem.replaceChildren(lastError ? format(S.syncFailed, { error: lastError }) : "");
    }
    if (bundle) renderLease();
  }

  function renderLease() {
    const lease = bundle.lease;
    const prepareButton = $('[data-action="prepare"]');
    const releaseButton = $('[data-action="release"]');
    const mine = lease && lease.device === deviceId;
    prepareButton.hidden = Boolean(leaseElsewhere());
    releaseButton.hidden = !mine;
    const head = $(".cl-head");
    let banner = head.querySelector(".cl-lease");
    if (!banner) { banner = el("p", { class: "cl-notice cl-lease", "data-testid": "lease" }); head.append(banner); }
    if (mine) {
      banner.className = "cl-notice cl-lease";
      banner.replaceChildren(format(S.prepared, { date: new Date(lease.expires_at).toLocaleDateString() }));
    } else if (lease) {
      banner.className = "cl-notice cl-lease is-warning";
      banner.replaceChildren(format(S.preparedOther, { name: lease.user_name }));
      if (bundle.may_answer && !editAnyway) {
        const button = el("button", { type: "button", class: "button secondary", "data-action": "edit-anyway",
          "data-testid": "edit-anyway", text: S.editAnyway });
        banner.append(" ", button);
      }
    } else if (!bundle.may_answer) {
      banner.className = "cl-notice cl-lease";
      banner.replaceChildren(S.readOnly);
    } else {
      banner.className = "cl-notice cl-lease";
      banner.replaceChildren(S.notPrepared);
    }
    const open = bundle.questions.reduce((count, q) => count + (q.conflicts || []).length, 0);
    let badge = head.querySelector(".cl-badge");
    if (open && !badge) { badge = el("span", { class: "cl-badge", "data-testid": "conflict-count" }); $(".cl-bar").append(badge); }
    if (badge) { badge.textContent = format(S.conflicts, { count: open }); badge.hidden = !open; }
  }

  function renderProgress() {
    const total = bundle.questions.length;
    const done = bundle.questions.filter(isAnswered).length;
    $('[data-testid="progress"]').textContent = format(S.progress, { done, total });
    const bar = $('[data-testid="progress-bar"]');
    bar.max = Math.max(total, 1);
    bar.value = done;
  }

  function renderAll() {
    if (!bundle) return;
    if (!bundle.questions.length) {
      questionsBox.replaceChildren(el("p", { class: "muted", text: S.noQuestions }));
    } else {
      const active = document.activeElement && document.activeElement.closest(".q-card");
      const cards = bundle.questions.map((question, index) => {
        const existing = active && Number(active.dataset.question) === question.id ? active : null;
        return existing || card(question, index);
      });
      questionsBox.replaceChildren(...cards);
      showCurrent(false);
    }
    renderProgress();
    renderStatus();
  }

  function refreshCard(question, options) {
    const index = bundle.questions.indexOf(question);
    const old = questionsBox.querySelector(`[data-question="${question.id}"]`);
    if (options && options.keepFocus && old) {
      // Update in place what does not hold the cursor.
      const fresh = card(question, index);
      old.className = fresh.className;
      old.querySelector(".q-results").replaceWith(fresh.querySelector(".q-results"));
      old.querySelector(".q-thumbs").replaceWith(fresh.querySelector(".q-thumbs"));
      old.querySelector(".q-state").replaceWith(fresh.querySelector(".q-state"));
    } else if (old) {
      old.replaceWith(card(question, index));
    }
    renderProgress();
  }

  function card(question, index) {
    const values = valuesOf(question);
    const editable = mayEdit();
    const total = bundle.questions.length;
    const conflicts = question.conflicts || [];
    const classes = ["q-card"];
    if (values.result) classes.push("is-answered");
    if (conflicts.length) classes.push("has-conflict");
    if (index === current) classes.push("is-current");
    const node = el("article", { class: classes.join(" "), dataset: { question: question.id, index },
      "data-testid": "question", "aria-label": format(S.question, { n: index + 1, total }) });
    const meta = el("div", { class: "q-meta" }, [
      el("span", { text: format(S.question, { n: index + 1, total }) }),
      el("span", { text: [question.standard, question.clause].filter(Boolean).join(" · ") }),
    ]);
    node.append(meta, el("p", { class: "q-text", text: question.text }));
    if (question.guidance) node.append(el("p", { class: "q-guidance", text: question.guidance }));
    const results = el("div", { class: "q-results", role: "group", "aria-label": question.text });
    config.results.forEach((choice) => {
      results.append(el("button", { type: "button", "data-result": choice.value, "aria-pressed": String(values.result === choice.value),
        disabled: !editable, text: choice.label }));
    });
    node.append(results);
    const state = el("p", { class: "q-state", "data-testid": "question-state" });
    const pendingOp = latestOp(question.id);
    const rejected = ops.filter((op) => op.question === question.id && op.status === "rejected");
    if (rejected.length) { state.textContent = format(S.rejected, { error: rejected[rejected.length - 1].error || "" }); state.classList.add("is-error"); }
    else if (pendingOp) state.textContent = S.savedHere;
    else if (question.answer && question.answer.answered_by) state.textContent = format(S.by, { name: question.answer.answered_by });
    conflicts.forEach((conflict) => node.append(conflictBox(question, conflict, state)));
    const fields = el("div", { class: "q-fields" });
    const area = (name, label) => el("label", {}, [label, el("textarea", { name, rows: 3, disabled: !editable,
      "data-field": name }, [document.createTextNode(values[name] || "")])]);
    fields.append(area("comment", S.comment), area("evidence", S.evidence));
    fields.append(el("label", {}, [S.score, el("input", { type: "number", min: 0, max: 100, step: 1, inputmode: "numeric",
      name: "score", "data-field": "score", value: values.score === null || values.score === undefined ? "" : String(values.score),
      disabled: !editable })]));
    const picker = el("label", { class: "q-photo" }, [cameraIcon(), S.photo, el("input", { type: "file", accept: "image/*",
      capture: "environment", multiple: true, disabled: !editable, "data-testid": "photo-input" })]);
    if (editable) fields.append(picker);
    fields.append(photoStrip(question));
    node.append(fields, state);
    return node;
  }

  function cameraIcon() {
    const svg = document.createElementNS("http://www.w3.org/2000/svg", "svg");
    svg.setAttribute("width", "22"); svg.setAttribute("height", "22"); svg.setAttribute("viewBox", "0 0 24 24");
    svg.setAttribute("aria-hidden", "true");
    const path = document.createElementNS("http://www.w3.org/2000/svg", "path");
    path.setAttribute("d", "M4 8h3l2-3h6l2 3h3v11H4zM12 16.5a3.5 3.5 0 1 0 0-7 3.5 3.5 0 0 0 0 7z");
    path.setAttribute("fill", "none"); path.setAttribute("stroke", "currentColor"); path.setAttribute("stroke-width", "1.8");
    path.setAttribute("stroke-linejoin", "round");
    svg.append(path);
    return svg;
  }

  function photoStrip(question) {
    const strip = el("div", { class: "q-thumbs", "aria-label": S.photos });
    const removing = new Set(removals.map((r) => r.photo));
    const removed = removals.filter((r) => r.question === question.id && r.status === "rejected");
    (question.photos || []).filter((photo) => !removing.has(photo.uuid)).forEach((photo) => {
      strip.append(el("figure", { "data-testid": "photo" }, [el("img", { src: photo.url, alt: "" }), removeButton(photo.uuid)]));
    });
    photos.filter((p) => p.question === question.id && !removing.has(p.uuid)).forEach((photo) => {
      const figure = el("figure", { "data-testid": "photo-pending" }, [el("img", { alt: "", "data-photo": photo.uuid }),
        el("figcaption", { text: photo.status === "rejected" ? format(S.rejected, { error: photo.error || "" }) : S.photoPending }),
        removeButton(photo.uuid)]);
      strip.append(figure);
      thumbnail(photo.uuid, figure.querySelector("img"));
    });
    removed.forEach((r) => strip.append(el("p", { class: "is-error", text: format(S.rejected, { error: r.error || "" }) })));
    return strip;
  }

  function removeButton(uuid) {
    if (!mayEdit()) return null;
    return el("button", { type: "button", class: "q-photo-remove", "data-remove-photo": uuid,
      "aria-label": S.removePhoto, title: S.removePhoto, text: "×" });
  }

  async function thumbnail(uuid, img) {
    const kept = await (await store()).get("photos", uuid);
    if (kept && kept.blob) {
      const url = URL.createObjectURL(kept.blob);
      img.src = url;
      img.addEventListener("load", () => URL.revokeObjectURL(url), { once: true });
    }
  }

  function side(title, values, who) {
    const label = (value) => (config.results.find((r) => r.value === value) || { label: value || "—" }).label;
    return el("section", {}, [el("h3", { text: title + (who ? ` (${who})` : "") }),
      el("p", { text: label(values.result) }),
      values.comment ? el("p", { text: values.comment }) : null,
      values.evidence ? el("p", { text: values.evidence }) : null,
      values.score !== null && values.score !== undefined ? el("p", { text: `${S.score}: ${values.score}` }) : null]);
  }

  function conflictBox(question, conflict, state) {
    const server = question.answer || {};
    const box = el("div", { class: "q-conflict", "data-testid": "conflict" }, [
      el("strong", { text: S.conflict }),
      el("div", { class: "q-conflict-sides" }, [
        side(S.tablet, conflict.values, conflict.user_name),
        side(S.server, server, server.answered_by),
      ]),
    ]);
    const buttons = el("div", { class: "buttons" });
    [["tablet", S.keepTablet], ["server", S.keepServer], ["both", S.keepBoth]].forEach(([choice, text]) => {
      const button = el("button", { type: "button", class: "button secondary", "data-resolve": choice, text });
      button.addEventListener("click", () => resolve(question, conflict, choice, state));
      buttons.append(button);
    });
    box.append(buttons);
    return box;
  }

  function showCurrent(scroll) {
    const cards = questionsBox.querySelectorAll(".q-card");
    cards.forEach((node, index) => node.classList.toggle("is-current", index === current));
    const node = cards[current];
    if (scroll && node) node.scrollIntoView({ block: "start", behavior: "smooth" });
    $('[data-action="previous"]').disabled = current <= 0;
    $('[data-action="next"]').disabled = current >= cards.length - 1;
  }

  function go(index) {
    if (!bundle || !bundle.questions.length) return;
    current = Math.max(0, Math.min(bundle.questions.length - 1, index));
    showCurrent(true);
  }

  // --- events --------------------------------------------------------------------------------

  function questionOf(node) {
    const cardNode = node.closest(".q-card");
    return cardNode && bundle.questions.find((q) => q.id === Number(cardNode.dataset.question));
  }

  root.addEventListener("click", (event) => {
    const target = event.target;
    const action = target.closest("[data-action]");
    if (action) {
      const name = action.dataset.action;
      if (name === "sync") sync();
      else if (name === "prepare") prepare();
      else if (name === "release") release();
      else if (name === "previous") go(current - 1);
      else if (name === "next") go(current + 1);
      else if (name === "edit-anyway") { editAnyway = true; renderAll(); }
      else if (name === "unanswered") {
        const order = bundle.questions.map((q, i) => i);
        const next = order.slice(current + 1).concat(order.slice(0, current + 1)).find((i) => !isAnswered(bundle.questions[i]));
        if (next === undefined) notice(S.allAnswered); else go(next);
      }
      return;
    }
    const mode = target.closest("[data-mode]");
    if (mode && mode.tagName === "BUTTON") {
      questionsBox.dataset.mode = mode.dataset.mode;
      root.querySelectorAll("button[data-mode]").forEach((b) => b.setAttribute("aria-pressed", String(b === mode)));
      showCurrent(true);
      return;
    }
    const removeButtonNode = target.closest("[data-remove-photo]");
    if (removeButtonNode && mayEdit()) {
      const question = questionOf(removeButtonNode);
      if (question) removePhoto(question, removeButtonNode.dataset.removePhoto);
      return;
    }
    const resultButton = target.closest("[data-result]");
    if (resultButton && !resultButton.disabled) {
      const question = questionOf(resultButton);
      if (question) recordChange(question, { result: resultButton.dataset.result });
      return;
    }
    const cardNode = target.closest(".q-card");
    if (cardNode && questionsBox.dataset.mode === "list" && !target.closest("textarea, input, label, button")) {
      current = Number(cardNode.dataset.index);
      showCurrent(false);
    }
  });

  root.addEventListener("change", (event) => {
    const target = event.target;
    const question = target.closest(".q-card") && questionOf(target);
    if (!question || !mayEdit()) return;
    if (target.type === "file") {
      addPhotos(question, Array.from(target.files || []), target.closest(".q-card").querySelector(".q-state"));
      target.value = "";
    } else if (target.dataset.field === "score") {
      const value = target.value === "" ? null : Math.max(0, Math.min(100, Math.round(Number(target.value))));
      recordChange(question, { score: Number.isFinite(value) ? value : null });
    } else if (target.dataset.field) {
      recordChange(question, { [target.dataset.field]: target.value });
    }
  });

  window.addEventListener("online", () => { renderStatus(); sync(); });
  window.addEventListener("offline", () => renderStatus());
  document.addEventListener("visibilitychange", () => { if (document.visibilityState === "visible") sync(); });
  setInterval(() => sync(), SYNC_EVERY_MS);

  // --- start ---------------------------------------------------------------------------------

  async function start() {
    if ("serviceWorker" in navigator) navigator.serviceWorker.register(config.sw, { scope: "/" }).catch(() => null);
    try {
      await openStore();
      await loadQueues();
      const kept = await db.get("bundles", config.auditId);
      if (kept) bundle = kept.data;
      lastSyncAt = await db.get("meta", "lastSync:" + config.auditId);
    } catch (error) {
      notice(String(error.message || error), "is-error");
    }
    if (bundle) renderAll();
    if (navigator.onLine) await sync();
    if (!bundle) {
      questionsBox.replaceChildren(el("p", { class: "error", text: S.loadFailed }));
    }
    renderStatus();
    if (bundle && bundle.lease && bundle.lease.device === deviceId) showStorage();
    root.dataset.ready = "true";
  }

  start();
})();
