//! Why an export stopped, and the exit code that tells a script: 1 when the
//! server, the network or the disk failed (rerunning may help), 2 when the
//! command or its configuration is wrong (rerunning the same will not).

use std::fmt;
use std::path::Path;
use std::process::ExitCode;

/// A failed export: its message (which says what to do) and exit code.
#[derive(Debug)]
pub struct Failure {
    code: u8,
    message: String,
}

impl Failure {
    /// Bad usage or configuration: exit code 2.
    pub fn usage(message: impl Into<String>) -> Self {
        Failure {
            code: 2,
            message: message.into(),
        }
    }

    /// The server or the network failed: exit code 1.
    pub fn remote(message: impl Into<String>) -> Self {
        Failure {
            code: 1,
            message: message.into(),
        }
    }

    /// Writing the output or the checkpoint failed: exit code 1.
    pub fn local(message: impl Into<String>) -> Self {
        Failure::remote(message)
    }

    /// The failure of a library call. A refused token (whatever its
    /// status: older ChatbotX servers send 500), a missing resource (a
    /// wrong base URL or id), a refused redirect and a refused parameter
    /// are configuration problems; the rest are the server's or the
    /// network's.
    pub fn from_library(error: chatdesk::Error) -> Self {
        use chatdesk::Error;
        let usage = error.is_auth_failure()
            || match &error {
                Error::Config(_) | Error::InvalidInput(_) | Error::Redirect(_) => true,
                Error::Api(api) => matches!(api.status.as_u16(), 400 | 401 | 403 | 404 | 422),
                _ => false,
            };
        let wants_session = matches!(&error, Error::Api(api)
            if api.code.as_deref() == Some("systemError")
                && api.message.as_deref().is_some_and(|m| m.contains("not associated with this workspace")));
        let mut message = chatdesk::error::Report(&error).to_string();
        if wants_session {
            message.push_str(
                ". Pass the session cookie of a user logged in to that workspace with \
                 --header-file FILE, where FILE holds a line `Cookie: <name>=<value>`",
            );
        }
        if usage {
            Failure::usage(message)
        } else {
            Failure::remote(message)
        }
    }

    /// The failure of a library call made with a token read from the file
    /// `path`: as [`from_library`](Self::from_library), but a refused
    /// token's advice names the file, which is where the user must look,
    /// instead of the environment variable the library names.
    pub fn from_library_with_token_file(error: chatdesk::Error, path: &Path) -> Self {
        let Some(platform) = refused_token_platform(&error) else {
            return Failure::from_library(error);
        };
        let variable = platform.token_variable();
        let file = path.display().to_string();
        let mut failure = Failure::from_library(error);
        let named = failure.message.contains(variable);
        failure.message = failure
            .message
            .replace(
                &format!("check {variable}"),
                &format!("check the token in {file}"),
            )
            .replace(variable, &file);
        if !named {
            failure
                .message
                .push_str(&format!(". The token was read from {file}: check it"));
        }
        failure
    }

    /// The same failure with more to say after its message.
    pub fn with_hint(mut self, hint: &str) -> Self {
        if !hint.is_empty() {
            self.message.push_str(". ");
            self.message.push_str(hint);
        }
        self
    }

    /// The process exit code.
    pub fn exit_code(&self) -> ExitCode {
        ExitCode::from(self.code())
    }

    /// The numeric exit code.
    pub fn code(&self) -> u8 {
        self.code
    }
}

/// The platform whose token `error` says was refused (a 401, or a 403 that
/// the token may not do this), if it says so.
fn refused_token_platform(error: &chatdesk::Error) -> Option<chatdesk::Platform> {
    match error {
        chatdesk::Error::Api(api) if api.is_auth_failure() || api.status.as_u16() == 403 => {
            Some(api.platform)
        }
        _ => None,
    }
}

impl fmt::Display for Failure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn library_errors_map_to_usage_or_remote() {
        assert_eq!(
            Failure::from_library(chatdesk::Error::config("x")).code(),
            2
        );
        assert_eq!(
            Failure::from_library(chatdesk::Error::invalid_input("x")).code(),
            2
        );
        let unauthorized = chatdesk::error::from_response(
            chatdesk::Platform::Chatwoot,
            chatdesk::reqwest::StatusCode::UNAUTHORIZED,
            &chatdesk::reqwest::header::HeaderMap::new(),
            b"{}",
        );
        assert_eq!(Failure::from_library(unauthorized).code(), 2);
        let unavailable = chatdesk::error::from_response(
            chatdesk::Platform::Chatwoot,
            chatdesk::reqwest::StatusCode::SERVICE_UNAVAILABLE,
            &chatdesk::reqwest::header::HeaderMap::new(),
            b"",
        );
        assert_eq!(Failure::from_library(unavailable).code(), 1);
        let old_bad_token = chatdesk::error::from_response(
            chatdesk::Platform::Chatbotx,
            chatdesk::reqwest::StatusCode::INTERNAL_SERVER_ERROR,
            &chatdesk::reqwest::header::HeaderMap::new(),
            br#"{"defined":true,"code":"INVALID_CHATBOT_TOKEN","status":500,"message":"x"}"#,
        );
        let failure = Failure::from_library(old_bad_token);
        assert_eq!(failure.code(), 2);
        assert!(failure.to_string().contains("CHATBOTX_TOKEN"), "{failure}");
    }

    #[test]
    fn a_refused_token_from_a_file_names_the_file() {
        let response = |status| {
            chatdesk::error::from_response(
                chatdesk::Platform::Chatwoot,
                status,
                &chatdesk::reqwest::header::HeaderMap::new(),
                br#"{"error":"Invalid Access Token"}"#,
            )
        };
        let file = Path::new("/home/u/.cw-token");
        let unauthorized = Failure::from_library_with_token_file(
            response(chatdesk::reqwest::StatusCode::UNAUTHORIZED),
            file,
        );
        assert_eq!(unauthorized.code(), 2);
        let shown = unauthorized.to_string();
        assert!(
            shown.contains("check the token in /home/u/.cw-token"),
            "{shown}"
        );
        assert!(!shown.contains("CHATWOOT_API_ACCESS_TOKEN"), "{shown}");
        let forbidden = Failure::from_library_with_token_file(
            response(chatdesk::reqwest::StatusCode::FORBIDDEN),
            file,
        )
        .to_string();
        assert!(forbidden.contains("/home/u/.cw-token"), "{forbidden}");
        assert!(
            !forbidden.contains("CHATWOOT_API_ACCESS_TOKEN"),
            "{forbidden}"
        );
        let unavailable = Failure::from_library_with_token_file(
            response(chatdesk::reqwest::StatusCode::SERVICE_UNAVAILABLE),
            file,
        )
        .to_string();
        assert!(!unavailable.contains(".cw-token"), "{unavailable}");
    }
}
