// The browser apps, built into static assets the Worker serves from web/public. Names are fixed
// (the server-rendered pages link them); the assets binding revalidates them by ETag.
import { defineConfig } from "vite";

export default defineConfig({
  publicDir: false,
  // Where the Worker serves the output: URLs Vite writes (the upload Web Worker) start here.
  base: "/assets/app/",
  build: {
    outDir: "web/public/assets/app",
    emptyOutDir: true,
    target: "es2022",
    sourcemap: true,
    rollupOptions: {
      input: { gallery: "web/gallery/main.ts", dashboard: "web/dashboard/main.ts" },
      output: { entryFileNames: "[name].js", chunkFileNames: "[name]-[hash].js", assetFileNames: "[name][extname]" },
    },
  },
});
