// The counter's few needs of the browser: this tab's storage, PDFs as object URLs, focus, activity.
window.srsCounter = {
  getSession: (key) => sessionStorage.getItem(key),
  setSession: (key, value) => sessionStorage.setItem(key, value),
  removeSession: (key) => sessionStorage.removeItem(key),
  getLocal: (key) => localStorage.getItem(key),
  setLocal: (key, value) => localStorage.setItem(key, value),
  objectUrl: (bytes, type) => URL.createObjectURL(new Blob([bytes], { type })),
  release: (url) => URL.revokeObjectURL(url),
  download: (bytes, type, fileName) => {
    const url = URL.createObjectURL(new Blob([bytes], { type }));
    const link = document.createElement("a");
    link.href = url;
    link.download = fileName;
    document.body.appendChild(link);
    link.click();
    link.remove();
    setTimeout(() => URL.revokeObjectURL(url), 60000);
  },
  printFrame: (id) => {
    const frame = document.getElementById(id);
    if (frame && frame.contentWindow) { frame.contentWindow.focus(); frame.contentWindow.print(); }
  },
  focus: (id) => {
    const element = document.getElementById(id);
    if (element) { element.focus(); if (element.select) { element.select(); } }
  },
  // Every action has a key: Alt and the letter or digit its button shows (data-key). Handled
  // here rather than by accesskey, whose modifier differs between browsers and systems. The
  // field being typed in gives up the focus first, so its value is taken before the action.
  keys: () => {
    document.addEventListener("keydown", (e) => {
      if (!e.altKey || e.ctrlKey || e.metaKey) { return; }
      const key = e.code.startsWith("Key") ? e.code.slice(3).toLowerCase() : e.code.startsWith("Digit") ? e.code.slice(5) : null;
      const target = key && document.querySelector(`[data-key="${key}"]`);
      if (!target || target.disabled) { return; }
      e.preventDefault();
      target.focus();
      target.click();
    }, true);
  },
  watchActivity: (target) => {
    let last = 0;
    const seen = () => {
      const now = Date.now();
      if (now - last > 5000) { last = now; target.invokeMethodAsync("Active"); }
    };
    document.addEventListener("keydown", seen, true);
    document.addEventListener("pointerdown", seen, true);
  },
};
window.srsCounter.keys();
