// A tiny SMTP server for the end-to-end tests (account.spec.ts): it accepts every message the
// portal's mail job sends and shows what it received as JSON over HTTP, the way
// crates/server/tests/api/mail.rs reads mail in the server's own tests.
//   node smtp-sink.mjs <smtp-port> <http-port>
// GET http://127.0.0.1:<http-port>/messages -> [{ recipients: [...], data: "<raw message>" }]
import * as http from "node:http";
import * as net from "node:net";

const [smtpPort, httpPort] = process.argv.slice(2).map(Number);
const messages = [];

net
  .createServer((socket) => {
    let buffer = "";
    let inData = false;
    let current = { recipients: [], data: "" };
    const reply = (line) => socket.write(line + "\r\n");
    reply("220 sink ESMTP");
    socket.on("data", (chunk) => {
      buffer += chunk.toString("utf8");
      let index;
      while ((index = buffer.indexOf("\r\n")) >= 0) {
        const line = buffer.slice(0, index);
        buffer = buffer.slice(index + 2);
        if (inData) {
          if (line === ".") {
            inData = false;
            messages.push(current);
            current = { recipients: [], data: "" };
            reply("250 queued");
          } else {
            current.data += (line.startsWith("..") ? line.slice(1) : line) + "\r\n";
          }
          continue;
        }
        const command = line.slice(0, 4).toUpperCase();
        if (command === "EHLO" || command === "HELO") reply("250 sink");
        else if (command === "MAIL") reply("250 ok");
        else if (command === "RCPT") {
          current.recipients.push(line.replace(/^RCPT TO:\s*<?([^>]*)>?.*$/i, "$1"));
          reply("250 ok");
        } else if (command === "DATA") {
          inData = true;
          reply("354 go ahead");
        } else if (command === "QUIT") {
          reply("221 bye");
          socket.end();
        } else reply("250 ok");
      }
    });
    socket.on("error", () => {});
  })
  .listen(smtpPort, "127.0.0.1");

http
  .createServer((request, response) => {
    response.setHeader("content-type", "application/json");
    response.end(JSON.stringify(request.url === "/messages" ? messages : []));
  })
  .listen(httpPort, "127.0.0.1");
