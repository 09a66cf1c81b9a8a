// Which browser this is, for the manifest and for the token name ("Chrome 2026-11-25").

const PREFERRED_BRANDS = ["Microsoft Edge", "Google Chrome", "Opera", "Brave", "Chromium"];

/** {name, version, user_agent}; the full version where the browser tells it. */
export async function browserInfo() {
  const userAgent = navigator.userAgent;
  const data = navigator.userAgentData;
  if (data?.brands) {
    let brands = data.brands;
    try {
      const high = await data.getHighEntropyValues(["fullVersionList"]);
      if (high.fullVersionList?.length) brands = high.fullVersionList;
    } catch {
      // low-entropy brands are enough
    }
    for (const wanted of PREFERRED_BRANDS) {
      const brand = brands.find((entry) => entry.brand === wanted);
      if (brand) return { name: wanted, version: brand.version, user_agent: userAgent };
    }
  }
  const firefox = /Firefox\/([\d.]+)/.exec(userAgent);
  if (firefox) return { name: "Firefox", version: firefox[1], user_agent: userAgent };
  const chrome = /Chrome\/([\d.]+)/.exec(userAgent);
  return { name: "Chromium", version: chrome?.[1] || "", user_agent: userAgent };
}

/** The name the server gives this browser's token: "<browser> <YYYY-MM-DD>". */
export async function tokenName() {
  const { name } = await browserInfo();
  const today = new Date();
  const pad = (value) => String(value).padStart(2, "0");
  return `${name} ${today.getFullYear()}-${pad(today.getMonth() + 1)}-${pad(today.getDate())}`;
}
