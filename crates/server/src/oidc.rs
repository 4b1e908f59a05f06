//! Single sign-on with OpenID Connect: the provider named by `--oidc-issuer`, discovered when a
//! sign-in first needs it (and again after [`METADATA_LIFETIME`], so rotated signing keys are
//! picked up), and the checks of the authorization code flow with PKCE.
//!
//! What a callback must show before it names a user (`routes::oidc`): the `state` the start
//! stored for this browser, a code the provider exchanges with the PKCE verifier of that start,
//! an ID token signed by a key of the provider's JWKS for this client and carrying the start's
//! `nonce` (the `openidconnect` crate's verifier: issuer, audience, expiry, signature), an
//! access token matching the token's `at_hash` when it has one, and `email_verified` true. The
//! email is taken from the ID token, or from the user-info endpoint (for the token's subject)
//! when the provider leaves it out of the ID token.

use std::time::{Duration, Instant};

use anyhow::{anyhow, Context};
use openidconnect::core::{CoreAuthenticationFlow, CoreClient, CoreProviderMetadata, CoreUserInfoClaims};
use openidconnect::{
    AccessTokenHash, AuthorizationCode, ClientId, ClientSecret, CsrfToken, EndpointMaybeSet, EndpointNotSet,
    EndpointSet, IssuerUrl, Nonce, OAuth2TokenResponse, PkceCodeChallenge, PkceCodeVerifier, RedirectUrl, Scope,
    TokenResponse,
};

use crate::config::Settings;
use crate::store::accounts::PendingSingleSignOn;

/// How long discovered provider metadata (endpoints, signing keys) is used before it is read again.
pub const METADATA_LIFETIME: Duration = Duration::from_secs(15 * 60);

/// The longest a provider's answer may take.
const REQUEST_TIMEOUT: Duration = Duration::from_secs(10);

/// The client as built from discovered metadata.
type ProviderClient =
    CoreClient<EndpointSet, EndpointNotSet, EndpointNotSet, EndpointNotSet, EndpointMaybeSet, EndpointMaybeSet>;

/// The configured provider of this deployment.
pub struct SingleSignOn {
    issuer: IssuerUrl,
    client_id: ClientId,
    client_secret: Option<ClientSecret>,
    redirect: RedirectUrl,
    http: openidconnect::reqwest::Client,
    discovered: tokio::sync::Mutex<Option<(Instant, CoreProviderMetadata)>>,
}

/// Where a sign-in goes once the provider said who it is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VerifiedIdentity {
    /// Lower-cased.
    pub email: String,
    pub email_verified: bool,
}

/// Why a callback names nobody.
#[derive(Debug, thiserror::Error)]
pub enum CallbackError {
    /// The provider cannot be reached or answers nonsense to discovery.
    #[error("the OpenID provider is unavailable: {0:#}")]
    Unavailable(anyhow::Error),
    /// The exchange or one of the token's checks failed.
    #[error("the OpenID sign-in did not check out: {0:#}")]
    Refused(anyhow::Error),
}

impl SingleSignOn {
    /// The provider of `--oidc-issuer`/`--oidc-client-id`/`--oidc-client-secret`, sending the
    /// browser back to `public_url`'s callback; `None` when single sign-on is not configured.
    pub fn from_settings(settings: &Settings, public_url: &url::Url) -> anyhow::Result<Option<SingleSignOn>> {
        let (Some(issuer), Some(client_id)) = (&settings.oidc_issuer, &settings.oidc_client_id) else {
            return Ok(None);
        };
        let issuer = IssuerUrl::new(issuer.clone()).context("--oidc-issuer is not a URL")?;
        let callback = public_url
            .join(planning_domain::api::account::SESSION_OIDC_CALLBACK)
            .context("cannot build the OpenID callback address")?;
        let http = openidconnect::reqwest::ClientBuilder::new()
            // Following redirects would let a provider's answer send the server elsewhere (SSRF).
            .redirect(openidconnect::reqwest::redirect::Policy::none())
            .timeout(REQUEST_TIMEOUT)
            .build()
            .context("cannot build the HTTP client of single sign-on")?;
        Ok(Some(SingleSignOn {
            issuer,
            client_id: ClientId::new(client_id.clone()),
            client_secret: settings
                .oidc_client_secret
                .as_ref()
                .map(|secret| ClientSecret::new(secret.expose().to_owned())),
            redirect: RedirectUrl::from_url(callback),
            http,
            discovered: tokio::sync::Mutex::new(None),
        }))
    }

    /// The issuer, for the banner and the audit log.
    pub fn issuer(&self) -> &str {
        self.issuer.as_str()
    }

    /// The callback address the provider must have registered for this client.
    pub fn redirect_uri(&self) -> &str {
        self.redirect.as_str()
    }

    /// A client from fresh enough metadata, discovering it first if need be.
    async fn client(&self) -> anyhow::Result<ProviderClient> {
        let mut discovered = self.discovered.lock().await;
        let fresh =
            discovered.as_ref().filter(|(at, _)| at.elapsed() < METADATA_LIFETIME).map(|(_, meta)| meta.clone());
        let metadata = match fresh {
            Some(metadata) => metadata,
            None => {
                let metadata = CoreProviderMetadata::discover_async(self.issuer.clone(), &self.http)
                    .await
                    .map_err(|error| anyhow!("discovery at {} failed: {error:#}", self.issuer.as_str()))?;
                *discovered = Some((Instant::now(), metadata.clone()));
                metadata
            }
        };
        Ok(CoreClient::from_provider_metadata(metadata, self.client_id.clone(), self.client_secret.clone())
            .set_redirect_uri(self.redirect.clone()))
    }

    /// The provider's authorization address for a new sign-in, and what the callback must check.
    pub async fn start(&self) -> anyhow::Result<(url::Url, PendingSingleSignOn)> {
        let client = self.client().await?;
        let (challenge, verifier) = PkceCodeChallenge::new_random_sha256();
        let (url, state, nonce) = client
            .authorize_url(CoreAuthenticationFlow::AuthorizationCode, CsrfToken::new_random, Nonce::new_random)
            .add_scope(Scope::new("email".to_owned()))
            .set_pkce_challenge(challenge)
            .url();
        let pending = PendingSingleSignOn {
            state: state.secret().clone(),
            nonce: nonce.secret().clone(),
            pkce_verifier: verifier.secret().clone(),
        };
        Ok((url, pending))
    }

    /// Exchanges the callback's code and verifies what the provider says (see the module's note).
    pub async fn finish(&self, code: &str, pending: &PendingSingleSignOn) -> Result<VerifiedIdentity, CallbackError> {
        let client = self.client().await.map_err(CallbackError::Unavailable)?;
        let refused = |error: anyhow::Error| CallbackError::Refused(error);
        let tokens = client
            .exchange_code(AuthorizationCode::new(code.to_owned()))
            .map_err(|error| refused(anyhow!("the provider has no token endpoint: {error}")))?
            .set_pkce_verifier(PkceCodeVerifier::new(pending.pkce_verifier.clone()))
            .request_async(&self.http)
            .await
            .map_err(|error| refused(anyhow!("the code exchange failed: {error:#}")))?;
        let id_token = tokens.id_token().ok_or_else(|| refused(anyhow!("the provider sent no ID token")))?;
        let verifier = client.id_token_verifier();
        let claims = id_token
            .claims(&verifier, &Nonce::new(pending.nonce.clone()))
            .map_err(|error| refused(anyhow!("the ID token is not valid: {error}")))?;
        if let Some(expected) = claims.access_token_hash() {
            let algorithm = id_token.signing_alg().map_err(|error| refused(anyhow!("{error}")))?;
            let key = id_token.signing_key(&verifier).map_err(|error| refused(anyhow!("{error}")))?;
            let actual = AccessTokenHash::from_token(tokens.access_token(), algorithm, key)
                .map_err(|error| refused(anyhow!("{error}")))?;
            if actual != *expected {
                return Err(refused(anyhow!("the access token does not match the ID token's at_hash")));
            }
        }
        let (email, email_verified) = match claims.email() {
            Some(email) => (email.as_str().to_owned(), claims.email_verified()),
            None => {
                let info: CoreUserInfoClaims = client
                    .user_info(tokens.access_token().clone(), Some(claims.subject().clone()))
                    .map_err(|error| refused(anyhow!("no email in the ID token and no user-info endpoint: {error}")))?
                    .request_async(&self.http)
                    .await
                    .map_err(|error| refused(anyhow!("the user-info request failed: {error:#}")))?;
                let email = info
                    .email()
                    .ok_or_else(|| refused(anyhow!("the provider sent no email address")))?
                    .as_str()
                    .to_owned();
                (email, info.email_verified())
            }
        };
        Ok(VerifiedIdentity { email: email.trim().to_lowercase(), email_verified: email_verified == Some(true) })
    }
}
