// The API docs page: Swagger UI (npm's swagger-ui-dist, served from /vendor) over Docket's schema.
// A static file rather than the inline script FastAPI writes, so the page runs under the
// Content-Security-Policy; nothing is fetched from anywhere but this server.
(function () {
  function start() {
    var el = document.getElementById("swagger-ui");
    if (!el || typeof SwaggerUIBundle === "undefined") return;
    window.ui = SwaggerUIBundle({
      url: el.getAttribute("data-schema") || "/openapi.json",
      domNode: el,
      deepLinking: true,
      validatorUrl: null,  // the default asks validator.swagger.io about the schema
      presets: [SwaggerUIBundle.presets.apis],
      layout: "BaseLayout",
    });
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start); else start();
})();
