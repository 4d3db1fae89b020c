// Keeps each pending incident's notification clock ticking without reloading the page.
(function () {
  function render(clock) {
    if (clock.dataset.status !== "pending") return;
    var left = Math.round((Date.parse(clock.dataset.deadline) - Date.now()) / 1000);
    var abs = Math.abs(left), hours = Math.floor(abs / 3600), minutes = Math.floor((abs % 3600) / 60);
    clock.querySelector(".clock-remaining").textContent =
      left >= 0 ? hours + " h " + minutes + " min left" : "overdue by " + hours + " h " + minutes + " min";
    clock.classList.toggle("overdue", left < 0);
  }
  var clocks = document.querySelectorAll(".clock[data-deadline]");
  clocks.forEach(render);
  setInterval(function () { clocks.forEach(render); }, 30000);
})();
