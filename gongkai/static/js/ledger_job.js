// 台账 job page while the job runs: poll its progress every two seconds, move the bar, and load
// the page again (with its result or its download) once the job is done or has stopped.
document.addEventListener("DOMContentLoaded", () => {
  const box = document.getElementById("job-progress");
  if (!box) return;
  const bar = document.getElementById("job-bar");
  const count = document.getElementById("job-count");
  const status = document.getElementById("job-status");
  const poll = async () => {
    try {
      const response = await fetch(box.dataset.url, { headers: { Accept: "application/json" } });
      if (response.ok) {
        const data = await response.json();
        if (data.finished) {
          window.location.reload();
          return;
        }
        bar.max = Math.max(data.total, 1);
        bar.value = data.done;
        count.textContent = `${data.phase || "排队中"}：${data.done} / ${data.total} 行（${data.percent}%）`;
        status.textContent = data.status_label;
      }
    } catch (error) {
      // A lost connection: try again at the next tick.
    }
    window.setTimeout(poll, 2000);
  };
  window.setTimeout(poll, 1000);
});
