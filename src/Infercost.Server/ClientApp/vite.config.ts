import { defineConfig } from "vite";

// The build goes to the server's wwwroot, which is embedded in Infercost.Server and served at /.
export default defineConfig({
  base: "/",
  build: {
    outDir: "../wwwroot",
    emptyOutDir: true,
    assetsDir: "assets",
    sourcemap: false,
  },
});
