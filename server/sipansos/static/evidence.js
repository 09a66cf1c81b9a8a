// Click-to-zoom for evidence screenshots: the image, or the stacked full-page tiles, at full
// size in a dialog. Without JavaScript the links open the image itself.
"use strict";

(function () {
  const dialog = document.getElementById("zoom-dialog");
  if (!dialog || typeof dialog.showModal !== "function") {
    return;
  }
  const body = dialog.querySelector(".zoom-body");

  document.addEventListener("click", (event) => {
    const trigger = event.target.closest("[data-zoom]");
    if (!trigger) {
      return;
    }
    event.preventDefault();
    const copies = Array.from(trigger.querySelectorAll("img"), (img) => {
      const copy = img.cloneNode(false);
      copy.removeAttribute("loading");
      return copy;
    });
    body.replaceChildren(...copies);
    dialog.showModal();
    dialog.scrollTop = 0;
  });

  dialog.addEventListener("click", (event) => {
    // A click on the backdrop (the dialog itself) or on the close button closes it.
    if (event.target === dialog || event.target.closest(".zoom-close")) {
      dialog.close();
    }
  });
  dialog.addEventListener("close", () => body.replaceChildren());
})();
