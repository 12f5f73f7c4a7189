// Small progressive enhancements. No inline scripts anywhere (the content security policy forbids them).
document.addEventListener("click", function (event) {
  // Buttons that change or remove something ask first: <button data-confirm="确定要……吗?">
  var el = event.target.closest("[data-confirm]");
  if (el && !window.confirm(el.getAttribute("data-confirm"))) {
    event.preventDefault();
    event.stopPropagation();
  }
}, true);

// Error pages: "返回上一页" goes back in the browser's history when there is one (the link itself leads home).
document.addEventListener("click", function (event) {
  var el = event.target.closest("[data-history-back]");
  if (el && window.history.length > 1) {
    event.preventDefault();
    window.history.back();
  }
});
