// 审核批次 page while the job runs: poll the progress every two seconds, move the bar, and load
// the page again (with its results) once the batch is done or failed.
document.addEventListener("DOMContentLoaded", () => {
  const box = document.getElementById("audit-progress");
  if (!box) return;
  const bar = document.getElementById("audit-bar");
  const count = document.getElementById("audit-count");
  const status = document.getElementById("audit-status");
  const poll = async () => {
    try {
      const response = await fetch(box.dataset.url, { headers: { Accept: "application/json" } });
      if (response.ok) {
        const data = await response.json();
        bar.max = data.total;
        bar.value = data.done;
        count.textContent = `已审核 ${data.done} / ${data.total} 份（${data.percent}%）`;
        status.textContent = data.status_label;
        if (data.finished) {
          window.location.reload();
          return;
        }
      }
    } catch (error) {
      // A lost connection: try again at the next tick.
    }
    window.setTimeout(poll, 2000);
  };
  window.setTimeout(poll, 1000);
});
