/* French for plotly.js charts (dates, numbers, tool tips), registered once after
   plotly.min.js; the server asks for it with the chart config {locale: "fr"}
   (qse/charts.py). Same content as plotly.js's own lib/locales/fr.js (MIT). */
(function () {
  if (!window.Plotly) return;
  window.Plotly.register({
    moduleType: "locale",
    name: "fr",
    dictionary: {
      "Autoscale": "Échelle automatique",
      "Box Select": "Sélection rectangulaire",
      "Click to enter Plot title": "Ajouter un titre au graphique",
      "Click to enter X axis title": "Ajouter un titre à l'axe des x",
      "Click to enter Y axis title": "Ajouter un titre à l'axe des y",
      "Double-click on legend to isolate one trace": "Double-cliquer sur la légende pour isoler une série",
      "Double-click to zoom back out": "Double-cliquer pour dézoomer",
      "Download plot as a png": "Télécharger le graphique en fichier PNG",
      "Download plot": "Télécharger le graphique",
      "Lasso Select": "Sélection lasso",
      "Pan": "Translation",
      "Reset axes": "Réinitialiser les axes",
      "Reset view": "Réinitialiser",
      "Toggle Spike Lines": "Activer/désactiver les pics",
      "Zoom in": "Zoom intérieur",
      "Zoom out": "Zoom extérieur",
      "Zoom": "Zoom",
      "trace": "série"
    },
    format: {
      days: ["Dimanche", "Lundi", "Mardi", "Mercredi", "Jeudi", "Vendredi", "Samedi"],
      shortDays: ["Dim", "Lun", "Mar", "Mer", "Jeu", "Ven", "Sam"],
      months: ["Janvier", "Février", "Mars", "Avril", "Mai", "Juin", "Juillet", "Août", "Septembre", "Octobre",
        "Novembre", "Décembre"],
      shortMonths: ["Janv.", "Févr.", "Mars", "Avr.", "Mai", "Juin", "Juil.", "Août", "Sept.", "Oct.", "Nov.", "Déc."],
      date: "%d/%m/%Y",
      decimal: ",",
      thousands: " ",
      year: "%Y",
      month: "%b %Y",
      dayMonth: "%-d %b",
      dayMonthYear: "%-d %b %Y"
    }
  });
})();
