// 登记申请: show the receipt-date rule (条例第三十一条) of the chosen channel next to the date.
document.addEventListener("DOMContentLoaded", () => {
  const data = document.getElementById("receipt-rules");
  const channel = document.getElementById("id_channel");
  const hint = document.querySelector("#receipt-rule span");
  if (!data || !channel || !hint) return;
  const rules = JSON.parse(data.textContent);
  channel.addEventListener("change", () => { hint.textContent = rules[channel.value] || ""; });
});
