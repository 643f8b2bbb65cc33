// Application page: when the reply type changes, fill in its default legal basis unless the
// clerk has already written another one.
document.addEventListener("DOMContentLoaded", () => {
  const data = document.getElementById("outcome-bases");
  if (!data) return;
  const bases = JSON.parse(data.textContent);
  const defaults = new Set(Object.values(bases));
  document.querySelectorAll("select[name$='-outcome']").forEach((select) => {
    const basis = select.form.querySelector("input[name$='-legal_basis']");
    if (!basis) return;
    select.addEventListener("change", () => {
      if (basis.value === "" || defaults.has(basis.value)) basis.value = bases[select.value] || "";
    });
  });
});
