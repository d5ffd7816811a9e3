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
  // MJ characters (IVS included) drawn with IPAmj明朝 served by the system: the characters shown
  // in .mj elements are gathered, and a font holding just their glyphs is asked for (POST, so no
  // name appears in an address) and used as "SRS MJ". It grows as new characters appear.
  mjFont: () => {
    const loaded = new Set();
    let face = null;
    let timer = null;
    let busy = false;
    const gather = () => {
      const wanted = new Set(loaded);
      const add = (text) => { for (const c of text || "") { if (c.codePointAt(0) > 0x7f) { wanted.add(c.codePointAt(0)); } } };
      document.querySelectorAll(".mj").forEach((e) => add(e.tagName === "INPUT" ? e.value : e.textContent));
      return wanted;
    };
    const refresh = async () => {
      if (busy) { schedule(); return; }
      const wanted = gather();
      if (wanted.size === loaded.size) { return; }
      busy = true;
      try {
        const text = String.fromCodePoint(...[...wanted].sort((a, b) => a - b));
        const answer = await fetch("mj-font", { method: "POST", body: text, headers: { "Content-Type": "text/plain; charset=utf-8" } });
        if (!answer.ok) { return; }
        const next = new FontFace("SRS MJ", await answer.arrayBuffer());
        await next.load();
        document.fonts.add(next);
        if (face) { document.fonts.delete(face); }
        face = next;
        wanted.forEach((c) => loaded.add(c));
        document.documentElement.dataset.mjFont = String(loaded.size);
      } catch (e) {
        console.warn("MJ font:", e);
      } finally {
        busy = false;
      }
    };
    const schedule = () => { clearTimeout(timer); timer = setTimeout(refresh, 150); };
    new MutationObserver(schedule).observe(document.body, { childList: true, subtree: true, characterData: true });
    document.addEventListener("input", (e) => { if (e.target.classList && e.target.classList.contains("mj")) { schedule(); } }, true);
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
window.srsCounter.mjFont();
