// Capture categories (values stored on the server; labels from _locales: "category_<value>").

export const CATEGORIES = Object.freeze([
  "netralitas_asn",
  "netralitas_tni_polri",
  "netralitas_kepala_desa",
  "netralitas_penyelenggara",
  "hoaks",
  "ujaran_kebencian_sara",
  "kampanye",
  "lainnya",
]);

export const DEFAULT_CATEGORY = "lainnya";
