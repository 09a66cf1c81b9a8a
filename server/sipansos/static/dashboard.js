// Dashboard chart: captures per platform per day, drawn with the vendored uPlot from the JSON
// block the page renders. The same numbers are in the table below it, so without JavaScript
// nothing is lost.
"use strict";

(function () {
  const holder = document.getElementById("captures-chart");
  const source = document.getElementById("captures-chart-data");
  if (!holder || !source || typeof uPlot !== "function") {
    return;
  }
  const data = JSON.parse(source.textContent);
  const HEIGHT = 260;
  const COLORS = ["#1f5f8b", "#b42318", "#1e7b45", "#a15c00", "#6b3fa0", "#0f7c86", "#7a1f1f",
    "#5f6b76", "#c2185b"];
  // Each day is placed at UTC midnight of its (Jakarta) date and shown in UTC, so the labels
  // are the dates themselves whatever the browser's zone.
  const dayLabel = new Intl.DateTimeFormat(document.documentElement.lang || "id", {
    day: "numeric", month: "short", timeZone: "UTC",
  });
  const formatDay = (seconds) => dayLabel.format(new Date(seconds * 1000));
  const xs = data.days.map((day) => Date.parse(`${day}T00:00:00Z`) / 1000);

  const options = {
    width: holder.clientWidth,
    height: HEIGHT,
    scales: {
      x: { time: true },
      y: { range: (_chart, _min, max) => [0, Math.max(max, 1)] },
    },
    axes: [
      { values: (_chart, splits) => splits.map(formatDay) },
      { incrs: [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000, 10000] },
    ],
    series: [
      {
        label: data.day_label,
        value: (_chart, seconds) => (seconds == null ? "—" : formatDay(seconds)),
      },
      ...data.series.map((series, index) => ({
        label: series.label,
        stroke: COLORS[index % COLORS.length],
        width: 2,
        points: { show: true, size: 5 },
      })),
    ],
  };
  const chart = new uPlot(options, [xs, ...data.series.map((series) => series.values)], holder);
  holder.dataset.drawn = "true";
  window.addEventListener("resize", () => {
    chart.setSize({ width: holder.clientWidth, height: HEIGHT });
  });
})();
