// The timeout warning: GOV.UK's modal dialogue pattern on a native <dialog>.
// It asks the server how long the session has left (a passive request that is not activity),
// warns two minutes before the end, and "Stay signed in" makes one ordinary request.
const dialog = document.getElementById("timeout-warning");

function describe(seconds) {
  if (seconds >= 60) {
    const minutes = Math.ceil(seconds / 60);
    return `${minutes} minute${minutes === 1 ? "" : "s"}`;
  }
  return `${seconds} second${seconds === 1 ? "" : "s"}`;
}

function start(dialog) {
  const warnSeconds = Number(dialog.dataset.warnSeconds);
  const pollSeconds = Number(dialog.dataset.pollSeconds);
  const countdown = dialog.querySelector(".app-timeout-dialog__countdown");
  const spoken = dialog.querySelector(".app-timeout-dialog__spoken");
  const csrfToken = dialog.querySelector("input[name=csrfmiddlewaretoken]").value;
  let deadline = null;
  let lastSpoken = null;
  let returnFocusTo = null;

  const secondsLeft = () => Math.max(0, Math.round((deadline - Date.now()) / 1000));

  function signedOut() {
    window.location.assign(dialog.dataset.signedOutUrl);
  }

  async function ask(url, options) {
    const response = await fetch(url, {
      credentials: "same-origin",
      cache: "no-store",
      headers: { Accept: "application/json", "X-CSRFToken": csrfToken },
      ...options,
    });
    if (response.status === 401) return signedOut();
    if (!response.ok) return;
    const state = await response.json();
    deadline = Date.now() + state.seconds_left * 1000;
  }

  const poll = () => ask(dialog.dataset.statusUrl, { method: "GET" }).catch(() => {});

  function open() {
    returnFocusTo = document.activeElement;
    lastSpoken = null;
    dialog.showModal();
  }

  function close() {
    dialog.close();
    if (returnFocusTo && typeof returnFocusTo.focus === "function") returnFocusTo.focus();
  }

  async function tick() {
    if (deadline === null) return;
    let left = secondsLeft();
    if (left <= 0) {
      await poll();
      left = secondsLeft();
      if (left <= 0) return signedOut();
    }
    if (left <= warnSeconds && !dialog.open) open();
    if (left > warnSeconds && dialog.open) close();
    if (!dialog.open) return;
    countdown.textContent = describe(left);
    // Screen readers hear the time when the dialogue opens and then every 20 seconds.
    if (lastSpoken === null || lastSpoken - left >= 20) {
      spoken.textContent = describe(left);
      lastSpoken = left;
    }
  }

  async function stay() {
    await ask(dialog.dataset.continueUrl, { method: "POST" }).catch(() => {});
    close();
  }

  dialog.querySelector("[data-timeout-action=continue]").addEventListener("click", stay);
  // Escape closes a modal dialogue; here it means "stay signed in".
  dialog.addEventListener("cancel", (event) => {
    event.preventDefault();
    stay();
  });
  poll();
  window.setInterval(tick, 1000);
  window.setInterval(poll, pollSeconds * 1000);
}

if (dialog && typeof dialog.showModal === "function") start(dialog);
