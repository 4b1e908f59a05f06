//! Notification emails: a real notification over HTTP reaches a tiny SMTP server written here,
//! once; with the SMTP server unreachable the request still succeeds and the row stays unsent.

use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use planning_domain::api::vouchers::{VoucherView, VOUCHERS};
use reqwest::Method;
use serde_json::json;
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use tokio::net::{TcpListener, TcpStream};

use crate::helpers::{spawn_app_with, TestApp};

/// How often the mail job runs in these tests.
const POLL: Duration = Duration::from_millis(100);

/// One message as the SMTP server received it.
#[derive(Debug, Clone)]
pub struct Received {
    pub sender: String,
    pub recipients: Vec<String>,
    /// Header lines, folded lines joined.
    pub headers: Vec<String>,
    /// The body, quoted-printable decoded.
    pub body: String,
}

impl Received {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find_map(|line| {
            let (key, value) = line.split_once(':')?;
            key.eq_ignore_ascii_case(name).then(|| value.trim())
        })
    }
}

/// Just enough SMTP to accept mail: greeting, EHLO/HELO, MAIL, RCPT, DATA, RSET, NOOP, QUIT.
pub struct SmtpServer {
    address: SocketAddr,
    messages: Arc<Mutex<Vec<Received>>>,
}

impl SmtpServer {
    pub async fn start() -> SmtpServer {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let address = listener.local_addr().unwrap();
        let messages = Arc::new(Mutex::new(Vec::new()));
        let collected = Arc::clone(&messages);
        tokio::spawn(async move {
            while let Ok((stream, _)) = listener.accept().await {
                tokio::spawn(serve(stream, Arc::clone(&collected)));
            }
        });
        SmtpServer { address, messages }
    }

    pub fn url(&self) -> String {
        format!("smtp://{}", self.address)
    }

    pub fn messages(&self) -> Vec<Received> {
        self.messages.lock().unwrap().clone()
    }

    /// The first message `matches` accepts, waiting up to ten seconds for it.
    pub async fn wait_for(&self, matches: impl Fn(&Received) -> bool) -> Received {
        for _ in 0..200 {
            if let Some(message) = self.messages().into_iter().find(&matches) {
                return message;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        panic!("no such message arrived; got {} others", self.messages().len());
    }
}

async fn serve(stream: TcpStream, messages: Arc<Mutex<Vec<Received>>>) -> std::io::Result<()> {
    let (reader, mut writer) = stream.into_split();
    let mut lines = BufReader::new(reader).lines();
    writer.write_all(b"220 test.example ESMTP ready\r\n").await?;
    let (mut sender, mut recipients) = (String::new(), Vec::new());
    while let Some(line) = lines.next_line().await? {
        let command = line.to_ascii_uppercase();
        let reply: &[u8] = if command.starts_with("EHLO") {
            b"250-test.example\r\n250 8BITMIME\r\n"
        } else if command.starts_with("HELO") || command.starts_with("NOOP") {
            b"250 OK\r\n"
        } else if command.starts_with("RSET") {
            (sender, recipients) = (String::new(), Vec::new());
            b"250 OK\r\n"
        } else if command.starts_with("MAIL FROM:") {
            sender = address_in(&line);
            b"250 OK\r\n"
        } else if command.starts_with("RCPT TO:") {
            recipients.push(address_in(&line));
            b"250 OK\r\n"
        } else if command.starts_with("DATA") {
            writer.write_all(b"354 end with <CRLF>.<CRLF>\r\n").await?;
            let mut data = Vec::new();
            while let Some(line) = lines.next_line().await? {
                if line == "." {
                    break;
                }
                // Undo dot-stuffing.
                data.push(line.strip_prefix('.').map_or(line.clone(), str::to_owned));
            }
            let message = parse(std::mem::take(&mut sender), std::mem::take(&mut recipients), &data);
            messages.lock().unwrap().push(message);
            b"250 OK queued\r\n"
        } else if command.starts_with("QUIT") {
            writer.write_all(b"221 bye\r\n").await?;
            return Ok(());
        } else {
            b"502 not implemented\r\n"
        };
        writer.write_all(reply).await?;
    }
    Ok(())
}

/// `MAIL FROM:<a@b> SIZE=1` → `a@b`.
fn address_in(line: &str) -> String {
    line.split_once('<').and_then(|(_, rest)| rest.split_once('>')).map(|(address, _)| address.to_owned()).unwrap()
}

fn parse(sender: String, recipients: Vec<String>, data: &[String]) -> Received {
    let blank = data.iter().position(String::is_empty).unwrap_or(data.len());
    let mut headers: Vec<String> = Vec::new();
    for line in &data[..blank] {
        match headers.last_mut() {
            Some(last) if line.starts_with([' ', '\t']) => last.push_str(line),
            _ => headers.push(line.clone()),
        }
    }
    let body = decode_quoted_printable(&data[(blank + 1).min(data.len())..]);
    Received { sender, recipients, headers, body }
}

fn decode_quoted_printable(lines: &[String]) -> String {
    let mut bytes = Vec::new();
    for line in lines {
        let (text, soft_break) = line.strip_suffix('=').map_or((line.as_str(), false), |text| (text, true));
        let raw = text.as_bytes();
        let mut index = 0;
        while index < raw.len() {
            if raw[index] == b'=' && index + 2 < raw.len() {
                let hex = std::str::from_utf8(&raw[index + 1..index + 3]).unwrap();
                bytes.push(u8::from_str_radix(hex, 16).unwrap());
                index += 3;
            } else {
                bytes.push(raw[index]);
                index += 1;
            }
        }
        if !soft_break {
            bytes.push(b'\n');
        }
    }
    String::from_utf8(bytes).unwrap()
}

/// Every outbox row: the voucher or request its event names is in the JSON text.
async fn outbox(app: &TestApp) -> Vec<(i64, String, Option<String>, i64, Option<String>)> {
    app.fetch_rows("SELECT id, event, emailed_at, email_attempts, email_error FROM outbox ORDER BY id").await
}

/// A benefit administrator of Northwind creates a voucher for pm@northwind.example; its number.
async fn create_voucher(app: &TestApp) -> String {
    let customer = app.sign_in("benefits@northwind.example").await;
    let body = json!({ "enrollment_id": "67001234", "offering": "SEDPS", "service_level": 5, "assignee_email": "pm@northwind.example" });
    let response = customer.request(app, Method::POST, VOUCHERS).json(&body).send().await.unwrap();
    assert_eq!(response.status(), 201);
    let created: VoucherView = response.json().await.unwrap();
    created.voucher.id.as_str().to_owned()
}

async fn spawn_app_mailing_to(url: String) -> TestApp {
    spawn_app_with("2021-06-15", |settings| {
        settings.smtp_url = Some(url.parse().unwrap());
        settings.smtp_poll_interval = POLL;
    })
    .await
}

#[tokio::test]
async fn the_assignee_is_emailed_the_voucher_number_once_in_english_then_korean() {
    let smtp = SmtpServer::start().await;
    let app = spawn_app_mailing_to(smtp.url()).await;
    let number = create_voucher(&app).await;

    let message = smtp.wait_for(|message| message.body.contains(&number)).await;
    assert_eq!(message.recipients, ["pm@northwind.example"]);
    assert_eq!(message.sender, "no-reply@planning-services.example");
    assert_eq!(message.header("To"), Some("pm@northwind.example"));
    let from = message.header("From").unwrap();
    assert!(from.contains("Planning Services portal") && from.ends_with("<no-reply@planning-services.example>"));
    let subject = message.header("Subject").unwrap();
    assert!(subject.starts_with(&format!("Voucher {number} was created and assigned")), "{subject}");
    let english = message.body.find(&format!("Voucher {number} was created")).unwrap();
    let korean = message.body.find(&format!("바우처 {number}이(가) 생성되어")).unwrap();
    assert!(english < korean, "{}", message.body);

    // Every row, the demo data's included, is marked emailed and sent exactly once.
    for _ in 0..200 {
        if outbox(&app).await.iter().all(|row| row.2.is_some()) {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let rows = outbox(&app).await;
    let row = rows.iter().find(|row| row.1.contains(&number)).unwrap();
    assert!(row.2.is_some() && row.3 == 0 && row.4.is_none(), "{row:?}");
    assert!(rows.iter().all(|row| row.2.is_some()), "{rows:?}");
    tokio::time::sleep(POLL * 10).await;
    let messages = smtp.messages();
    assert_eq!(messages.iter().filter(|message| message.body.contains(&number)).count(), 1);
    assert_eq!(messages.len(), rows.len());
}

#[tokio::test]
async fn with_the_smtp_server_unreachable_the_change_succeeds_and_the_email_waits() {
    // A port nothing listens on.
    let unused = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap();
    let app = spawn_app_mailing_to(format!("smtp://{unused}")).await;
    let number = create_voucher(&app).await;

    // Wait until a pass has failed on the new row or before it.
    let mut rows = outbox(&app).await;
    for _ in 0..200 {
        if rows.iter().any(|row| row.4.is_some()) {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
        rows = outbox(&app).await;
    }
    assert!(rows.iter().any(|row| row.4.is_some()), "no pass failed: {rows:?}");
    let row = rows.iter().find(|row| row.1.contains(&number)).unwrap();
    assert!(row.2.is_none(), "{row:?}");
    // An unreachable server is not the rows' fault: nothing counts toward giving them up.
    assert!(rows.iter().all(|row| row.2.is_none() && row.3 == 0), "{rows:?}");
}
