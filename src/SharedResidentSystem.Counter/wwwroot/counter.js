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
