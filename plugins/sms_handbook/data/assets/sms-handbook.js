/* sms-handbook: make generated tables sortable (tablesort, served from this site). */
(function () {
  function sortTables() {
    if (typeof Tablesort === "undefined") return;
    document.querySelectorAll("article table.sortable").forEach(function (table) {
      if (!table.dataset.smsSortable) {
        table.dataset.smsSortable = "1";
        new Tablesort(table);
      }
    });
  }
  if (typeof document$ !== "undefined") {
    document$.subscribe(sortTables);
  } else {
    document.addEventListener("DOMContentLoaded", sortTables);
  }
})();
