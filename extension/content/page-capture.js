// Page-side capture helpers, injected on demand (chrome.scripting) into the top frame of the tab
// being captured, after serialize-dom.js. A classic script: it defines globalThis.sipansosPage
// once and the background calls its methods through chrome.scripting.executeScript: scroll
// metrics and scrolling, fixed/sticky handling, the post element (context menu target or element
// picker), metadata, and the DOM in chunks. It never talks to the server.
(() => {
  if (globalThis.sipansosPage) return;

  const UI_ATTR = "data-sipansos-ui";
  const DOM_CHUNK_CHARS = 4 * 1024 * 1024;
  const CONTEXT_TARGET_TTL_MS = 60 * 1000;
  // Containers that hold one post on the platforms we know, most specific first.
  const POST_SELECTORS = [
    '[data-testid="tweet"]',
    '[data-e2e="recommend-list-item-container"]',
    '[data-e2e="browse-video"]',
    "ytd-rich-item-renderer",
    "ytd-video-renderer",
    "ytd-compact-video-renderer",
    "ytd-comment-thread-renderer",
    "ytd-watch-metadata",
    '[role="article"]',
    "[aria-posinset]",
    "article",
  ].join(",");

  const state = {
    contextTarget: null, // {ref: WeakRef<Element>, at}
    target: null, // the post element chosen for this capture
    saved: null, // scroll position and styles to restore
    styleChanges: new Map(), // element → its original style attribute (or null)
    domChunks: null,
    picker: null,
  };

  // Remember what the operator right-clicked, for "Tangkap postingan ini" on later captures.
  document.addEventListener(
    "contextmenu",
    (event) => {
      const element = event.composedPath?.()[0] || event.target;
      if (element instanceof Element) state.contextTarget = { ref: new WeakRef(element), at: Date.now() };
    },
    true,
  );

  const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

  /** Two animation frames (painted), or a timeout when frames do not come. */
  function settle(extraMs = 0) {
    const frames = new Promise((resolve) =>
      requestAnimationFrame(() => requestAnimationFrame(() => resolve())),
    );
    return Promise.race([frames, sleep(250)]).then(() => (extraMs ? sleep(extraMs) : undefined));
  }

  function scroller() {
    return document.scrollingElement || document.documentElement;
  }

  function metrics() {
    const root = scroller();
    return {
      url: location.href,
      title: document.title,
      innerWidth: window.innerWidth,
      innerHeight: window.innerHeight,
      clientWidth: document.documentElement.clientWidth || window.innerWidth,
      scrollX: window.scrollX,
      scrollY: window.scrollY,
      scrollWidth: Math.max(root.scrollWidth, document.body?.scrollWidth || 0),
      scrollHeight: root.scrollHeight,
      devicePixelRatio: window.devicePixelRatio || 1,
      userAgent: navigator.userAgent,
    };
  }

  // serialize-dom.js (injected first) knows how to reach closed shadow roots too.
  const { shadowRootOf } = globalThis.sipansosSerializeDom;

  function* allElements(root) {
    const walker = document.createTreeWalker(root, NodeFilter.SHOW_ELEMENT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      yield node;
      const shadow = shadowRootOf(node);
      if (shadow) yield* allElements(shadow);
    }
  }

  function setStyle(element, property, value) {
    // The style attribute as the page had it, to put back exactly (or remove) afterwards.
    if (!state.styleChanges.has(element)) state.styleChanges.set(element, element.getAttribute("style"));
    element.style.setProperty(property, value, "important");
  }

  /** Before scrolling: remember the position; make scrolling instant. */
  function prepare() {
    if (!state.saved) {
      state.saved = { x: window.scrollX, y: window.scrollY };
      setStyle(document.documentElement, "scroll-behavior", "auto");
      if (document.body) setStyle(document.body, "scroll-behavior", "auto");
    }
    return metrics();
  }

  /**
   * Wait (at most `maxMs`) for the images on screen to load and decode: lazy images start
   * loading only when they come into view, and an unfinished one would be photographed grey.
   */
  async function waitForVisibleImages(maxMs = 1500) {
    // First let IntersectionObserver callbacks run: pages set the src of lazy images there.
    await sleep(60);
    const height = window.innerHeight;
    const pending = Array.from(document.images).filter((img) => {
      if (img.complete || !(img.currentSrc || img.src)) return false;
      const rect = img.getBoundingClientRect();
      return rect.bottom > 0 && rect.top < height && rect.width > 0 && rect.height > 0;
    });
    if (pending.length) {
      const loaded = pending.map((img) => img.decode().catch(() => {}));
      await Promise.race([Promise.all(loaded), sleep(maxMs)]);
      await settle();
    }
    return pending.length;
  }

  async function scrollToY(y) {
    window.scrollTo({ left: 0, top: y, behavior: "instant" });
    await settle();
    await waitForVisibleImages();
    return metrics();
  }

  /**
   * After the first screen: fixed elements (headers, chat buttons, banners) would repeat on every
   * screen, so they are hidden; sticky ones go back into the normal flow, so they stay where the
   * page puts them without following the scroll.
   */
  function hideFixed() {
    let hidden = 0;
    for (const element of allElements(document.documentElement)) {
      if (element.hasAttribute(UI_ATTR)) continue;
      const position = getComputedStyle(element).position;
      if (position === "fixed") {
        setStyle(element, "visibility", "hidden");
        hidden += 1;
      } else if (position === "sticky" || position === "-webkit-sticky") {
        setStyle(element, "position", "relative");
        for (const side of ["top", "bottom", "left", "right"]) setStyle(element, side, "auto");
        hidden += 1;
      }
    }
    return hidden;
  }

  /** Undo every style change and scroll back to where the operator was. */
  async function restore() {
    for (const [element, original] of state.styleChanges) {
      if (original === null) {
        // Read it first: Chromium writes CSSOM changes to the attribute lazily, and a pending
        // write would otherwise come back after the removal as style="".
        element.getAttribute("style");
        element.removeAttribute("style");
      } else {
        element.setAttribute("style", original);
      }
    }
    state.styleChanges.clear();
    const saved = state.saved;
    state.saved = null;
    if (saved) {
      window.scrollTo({ left: saved.x, top: saved.y, behavior: "instant" });
      await settle();
    }
    return metrics();
  }

  /** Scroll through the page once so that lazy content loads (before a CDP screenshot). */
  async function warmUp(maxScreens = 60) {
    prepare();
    const step = Math.max(200, window.innerHeight);
    for (let i = 0, y = 0; i < maxScreens && y < scroller().scrollHeight; i += 1, y += step) {
      window.scrollTo({ left: 0, top: y, behavior: "instant" });
      await settle(120);
    }
    window.scrollTo({ left: 0, top: 0, behavior: "instant" });
    await settle(150);
    return metrics();
  }

  // ---- the post element -------------------------------------------------------------------

  function findPost(element) {
    if (!(element instanceof Element)) return null;
    if (typeof globalThis.sipansosFindPostElement === "function") {
      try {
        const found = globalThis.sipansosFindPostElement(element);
        if (found instanceof Element) return found;
      } catch {
        // fall back to the generic rule
      }
    }
    return element.closest(POST_SELECTORS) || element;
  }

  function hoveredElement() {
    let root = document;
    let deepest = null;
    for (let depth = 0; depth < 20 && root; depth += 1) {
      const chain = root.querySelectorAll(":hover");
      const last = chain[chain.length - 1];
      if (!last || last === deepest) break;
      deepest = last;
      root = shadowRootOf(last);
    }
    return deepest;
  }

  /**
   * Choose the post for this capture: "picked" (element picker), "context" (the right-clicked
   * element; Firefox names it, Chromium does not, so the last contextmenu target or the element
   * under the pointer stands in). Returns whether one was found.
   */
  function resolveTarget(mode, targetElementId = null) {
    let element = null;
    if (mode === "picked") {
      element = state.picker?.chosen || null;
    } else if (mode === "context") {
      const menus = globalThis.browser?.menus;
      if (targetElementId != null && menus?.getTargetElement) {
        element = menus.getTargetElement(targetElementId);
      }
      const remembered = state.contextTarget;
      if (!element && remembered && Date.now() - remembered.at < CONTEXT_TARGET_TTL_MS) {
        element = remembered.ref.deref() || null;
      }
      if (!element?.isConnected) element = hoveredElement();
    }
    const post = element?.isConnected ? findPost(element) : null;
    state.target = post && post !== document.documentElement && post !== document.body ? post : null;
    return { found: Boolean(state.target), tag: state.target?.localName || null };
  }

  /** Scroll the post into view; its rectangle in viewport CSS pixels. */
  async function showTarget() {
    const element = state.target;
    if (!element?.isConnected) return null;
    prepare();
    const tall = element.getBoundingClientRect().height > window.innerHeight;
    element.scrollIntoView({ block: tall ? "start" : "center", inline: "nearest", behavior: "instant" });
    await settle(100);
    const rect = element.getBoundingClientRect();
    return {
      left: rect.left,
      top: rect.top,
      width: rect.width,
      height: rect.height,
      ...metrics(),
    };
  }

  // ---- metadata ----------------------------------------------------------------------------

  function extractMetadata() {
    if (typeof globalThis.sipansosExtractMetadata === "function") {
      try {
        const result = globalThis.sipansosExtractMetadata(document, state.target || null);
        if (result && typeof result === "object") return { ...result };
      } catch (error) {
        return { platform: "web", permalink: location.href, error: String(error) };
      }
    }
    return { platform: "web", permalink: location.href };
  }

  /** Serialise the live DOM; the text is then read in chunks (messages have a size limit). */
  function serializeDom() {
    const text = globalThis.sipansosSerializeDom(document);
    const chunks = [];
    for (let i = 0; i < text.length; i += DOM_CHUNK_CHARS) chunks.push(text.slice(i, i + DOM_CHUNK_CHARS));
    state.domChunks = chunks;
    return { count: chunks.length, length: text.length };
  }

  function domChunk(index) {
    const chunk = state.domChunks?.[index] ?? "";
    if (state.domChunks && index >= state.domChunks.length - 1) state.domChunks = null;
    return chunk;
  }

  // ---- element picker ----------------------------------------------------------------------

  function stopPicker() {
    const picker = state.picker;
    if (!picker?.active) return;
    picker.active = false;
    for (const [type, handler] of picker.handlers) window.removeEventListener(type, handler, true);
    picker.box.remove();
    picker.banner.remove();
  }

  /**
   * Let the operator click the post to capture. The outcome goes to the background as a
   * message (the popup has closed by then): `types` = {result, cancel} message types.
   */
  function startPicker(types, labels) {
    stopPicker();
    const box = document.createElement("div");
    box.setAttribute(UI_ATTR, "");
    box.style.cssText =
      "position:fixed;z-index:2147483647;pointer-events:none;border:3px solid #c0392b;" +
      "background:rgba(192,57,43,.12);border-radius:4px;display:none;box-sizing:border-box";
    const banner = document.createElement("div");
    banner.setAttribute(UI_ATTR, "");
    banner.setAttribute("role", "status");
    banner.textContent = labels.hint;
    banner.style.cssText =
      "position:fixed;z-index:2147483647;top:8px;left:50%;transform:translateX(-50%);" +
      "background:#1f2d3d;color:#fff;font:14px/1.4 system-ui,sans-serif;padding:8px 14px;" +
      "border-radius:6px;box-shadow:0 2px 8px rgba(0,0,0,.3);pointer-events:none";
    document.documentElement.append(box, banner);
    const picker = { active: true, box, banner, chosen: null, current: null, handlers: [] };
    state.picker = picker;

    const pointed = (event) => {
      const element = event.composedPath?.()[0] || event.target;
      return element instanceof Element && !element.hasAttribute(UI_ATTR) ? findPost(element) : null;
    };
    const swallow = (event) => {
      event.preventDefault();
      event.stopImmediatePropagation();
    };
    const on = (type, handler) => {
      picker.handlers.push([type, handler]);
      window.addEventListener(type, handler, true);
    };
    on("mousemove", (event) => {
      const post = pointed(event);
      picker.current = post;
      if (!post) return;
      const rect = post.getBoundingClientRect();
      Object.assign(box.style, {
        display: "block",
        left: `${rect.left}px`,
        top: `${rect.top}px`,
        width: `${rect.width}px`,
        height: `${rect.height}px`,
      });
    });
    for (const type of ["mousedown", "mouseup", "pointerdown", "pointerup", "auxclick"]) on(type, swallow);
    on("click", (event) => {
      swallow(event);
      const post = pointed(event) || picker.current;
      if (!post) return;
      picker.chosen = post;
      stopPicker();
      chrome.runtime.sendMessage({ type: types.result, tag: post.localName }).catch(() => {});
    });
    on("keydown", (event) => {
      if (event.key !== "Escape") return;
      swallow(event);
      stopPicker();
      chrome.runtime.sendMessage({ type: types.cancel }).catch(() => {});
    });
    return true;
  }

  globalThis.sipansosPage = {
    metrics,
    waitForVisibleImages,
    prepare,
    scrollToY,
    hideFixed,
    restore,
    warmUp,
    resolveTarget,
    showTarget,
    extractMetadata,
    serializeDom,
    domChunk,
    startPicker,
    stopPicker,
  };
})();
