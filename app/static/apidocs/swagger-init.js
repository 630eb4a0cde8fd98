// Starts Swagger UI on /docs from files the service serves itself: no CDN, no inline
// script (the page's Content-Security-Policy allows scripts from the service only).
"use strict";
(function () {
  const root = document.getElementById("swagger-ui");
  window.ui = SwaggerUIBundle({
    url: root.dataset.openapi,
    dom_id: "#swagger-ui",
    layout: "BaseLayout",
    deepLinking: true,
    displayOperationId: true, // the names generated clients give the operations
    showExtensions: true,
    showCommonExtensions: true,
    displayRequestDuration: true,
    validatorUrl: null, // no badge from validator.swagger.io: the page works offline
    presets: [SwaggerUIBundle.presets.apis],
  });
})();
