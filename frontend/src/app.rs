//! The frame of every page: the header with sign-in and sign-out, the routes, the footer.

use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::components::{Route, Router, Routes, A};
use leptos_router::hooks::use_navigate;
use leptos_router::{path, NavigateOptions};
use navigator_api_types::Role;
use wasm_bindgen::JsCast;

use crate::api;
use crate::bundle::Elsewhere;
use crate::i18n::{self, t, Key, Lang};
use crate::pages::notifications::{Bell, Unread};
use crate::session::{use_session, Session};

#[component]
pub fn App() -> impl IntoView {
    i18n::mark_document_language();
    let session = Session::restore();
    provide_context(session);
    provide_context(Unread(RwSignal::new(None)));
    if session.is_signed_in() {
        // The saved user may be stale (a name changed, the account closed): ask the server, which
        // also renews an access token that expired while the tab was closed.
        spawn_local(async move {
            if let Ok(user) = api::me(session).await {
                session.update_user(user);
            }
        });
    }

    view! {
        <Router>
            <a class="skip-link" href="#main" on:click=skip_to_main>
                {t(Key::SkipToContent)}
            </a>
            <Header/>
            <main id="main" class="container" tabindex="-1">
                <Pages/>
            </main>
            <Footer/>
        </Router>
    }
}

/// The pages of the public bundle (see `bundle.rs`): the catalog, programs, sign-in, the letters'
/// links, the notifications and the family's account.
#[cfg(not(any(feature = "provider", feature = "operator", feature = "oversight")))]
#[component]
fn Pages() -> impl IntoView {
    use crate::pages::account::AccountPage;
    use crate::pages::auth::{LoginPage, RegisterPage};
    use crate::pages::catalog::CatalogPage;
    use crate::pages::certificate::CertificateHistoryPage;
    use crate::pages::enrollment::FamilyEnrollmentPage;
    use crate::pages::links::{ActivationPage, InvitationPage};
    use crate::pages::notifications::NotificationsPage;
    use crate::pages::program::ProgramPage;
    view! {
        <Routes fallback=Elsewhere>
            <Route path=path!("/") view=CatalogPage/>
            <Route path=path!("/catalog") view=CatalogPage/>
            <Route path=path!("/programs/:id") view=ProgramPage/>
            <Route path=path!("/login") view=LoginPage/>
            <Route path=path!("/register") view=RegisterPage/>
            <Route path=path!("/invitation") view=InvitationPage/>
            <Route path=path!("/activate") view=ActivationPage/>
            <Route path=path!("/account") view=AccountPage/>
            <Route path=path!("/notifications") view=NotificationsPage/>
            <Route path=path!("/account/certificates/:id") view=CertificateHistoryPage/>
            <Route path=path!("/account/applications/:id") view=FamilyEnrollmentPage/>
        </Routes>
    }
}

/// The pages of the provider bundle: the providers' work under `/provider/`.
#[cfg(feature = "provider")]
#[component]
fn Pages() -> impl IntoView {
    use crate::pages::desk::DeskPage;
    use crate::pages::provider::{
        ProviderApplicationsPage, ProviderEnrollmentPage, ProviderEnrollmentsPage,
        ProviderInvoicesPage,
    };
    use crate::pages::registry::{NewProgramPage, ProgramRecordPage, ProviderProgramsPage};
    view! {
        <Routes fallback=Elsewhere>
            <Route path=path!("/provider/applications") view=ProviderApplicationsPage/>
            <Route path=path!("/provider/enrollments") view=ProviderEnrollmentsPage/>
            <Route path=path!("/provider/enrollments/:id") view=ProviderEnrollmentPage/>
            <Route path=path!("/provider/invoices") view=ProviderInvoicesPage/>
            <Route path=path!("/provider/programs") view=ProviderProgramsPage/>
            <Route path=path!("/provider/programs/new") view=NewProgramPage/>
            <Route path=path!("/provider/programs/:id") view=ProgramRecordPage/>
            <Route path=path!("/provider/desk") view=DeskPage/>
        </Routes>
    }
}

/// The pages of the operator bundle: the operators' daily work under `/operator/` (certificates,
/// invoices, periods, moderation, the desk).
#[cfg(feature = "operator")]
#[component]
fn Pages() -> impl IntoView {
    use crate::pages::desk::DeskPage;
    use crate::pages::operator::{InvoiceApprovalPage, OperatorCertificatesPage, PeriodsPage};
    use crate::pages::registry::{ModerationQueuePage, ProgramRecordPage};
    view! {
        <Routes fallback=Elsewhere>
            <Route path=path!("/operator/programs") view=ModerationQueuePage/>
            <Route path=path!("/operator/programs/:id") view=ProgramRecordPage/>
            <Route path=path!("/operator/certificates") view=OperatorCertificatesPage/>
            <Route path=path!("/operator/invoices") view=InvoiceApprovalPage/>
            <Route path=path!("/operator/periods") view=PeriodsPage/>
            <Route path=path!("/operator/desk") view=DeskPage/>
        </Routes>
    }
}

/// The pages of the oversight bundle: the operators' registry of providers, the registry files,
/// the dashboard and the audit log (under `/operator/` too, see `bundle.rs`).
#[cfg(feature = "oversight")]
#[component]
fn Pages() -> impl IntoView {
    use crate::pages::audit::AuditLogPage;
    use crate::pages::dashboard::DashboardPage;
    use crate::pages::files::RegistryFilesPage;
    use crate::pages::providers::{ProviderRecordPage, ProvidersPage};
    view! {
        <Routes fallback=Elsewhere>
            <Route path=path!("/operator/providers") view=ProvidersPage/>
            <Route path=path!("/operator/providers/:id") view=ProviderRecordPage/>
            <Route path=path!("/operator/files") view=RegistryFilesPage/>
            <Route path=path!("/operator/dashboard") view=DashboardPage/>
            <Route path=path!("/operator/audit") view=AuditLogPage/>
        </Routes>
    }
}

/// Moves the keyboard focus past the header. Done by hand because the router takes over clicks
/// on links, including those to `#main`.
fn skip_to_main(ev: leptos::ev::MouseEvent) {
    ev.prevent_default();
    if let Some(main) = document()
        .get_element_by_id("main")
        .and_then(|el| el.dyn_into::<web_sys::HtmlElement>().ok())
    {
        let _ = main.focus();
    }
}

/// The pages of a role's everyday work, for the header: (address, name).
fn work_pages(role: Role) -> &'static [(&'static str, Key)] {
    match role {
        Role::Family => &[("/account", Key::NavAccount)],
        Role::ProviderStaff => &[
            ("/provider/applications", Key::NavApplications),
            ("/provider/enrollments", Key::NavEnrollments),
            ("/provider/invoices", Key::NavInvoices),
            ("/provider/programs", Key::NavPrograms),
            ("/provider/desk", Key::NavDesk),
        ],
        Role::MunicipalOperator | Role::RegionalOperator => &[
            ("/operator/certificates", Key::NavCertificates),
            ("/operator/invoices", Key::NavInvoicesToApprove),
            ("/operator/periods", Key::NavPeriods),
            ("/operator/programs", Key::NavModeration),
            ("/operator/providers", Key::NavProviders),
            ("/operator/files", Key::NavFiles),
            ("/operator/desk", Key::NavDesk),
            ("/operator/dashboard", Key::NavDashboard),
            ("/operator/audit", Key::NavAudit),
        ],
    }
}

#[component]
fn Header() -> impl IntoView {
    let session = use_session();
    let navigate = use_navigate();
    let sign_out = move |_| {
        spawn_local(api::logout(session));
        // Away from a page that needs the sign-in, which would send the visitor to sign in again.
        navigate("/", NavigateOptions::default());
    };

    view! {
        <header class="site-header">
            <div class="container header-row">
                <a class="brand" href="/">
                    <span class="brand-mark" aria-hidden="true">"Н"</span>
                    <span class="brand-name">{t(Key::AppName)}</span>
                </a>
                <nav class="site-nav" aria-label=t(Key::NavLabel)>
                    <ul>
                        <li>
                            <A href="/catalog">{t(Key::NavCatalog)}</A>
                        </li>
                        {move || match session.user() {
                            Some(user) => {
                                let sign_out = sign_out.clone();
                                view! {
                                    {work_pages(user.role)
                                        .iter()
                                        .map(|(href, key)| view! {
                                            <li><A href=*href>{t(*key)}</A></li>
                                        })
                                        .collect_view()}
                                    <li><Bell/></li>
                                    <li class="user-name" title=user.email.clone()>
                                        {user.full_name.clone()}
                                    </li>
                                    <li>
                                        <button type="button" class="link-button" on:click=sign_out>
                                            {t(Key::SignOut)}
                                        </button>
                                    </li>
                                }
                                    .into_any()
                            }
                            None => {
                                view! {
                                    <li>
                                        <A href="/login">{t(Key::SignIn)}</A>
                                    </li>
                                    <li>
                                        <A href="/register">{t(Key::Register)}</A>
                                    </li>
                                }
                                    .into_any()
                            }
                        }}
                    </ul>
                </nav>
            </div>
        </header>
    }
}

#[component]
fn Footer() -> impl IntoView {
    let other = match i18n::lang() {
        Lang::Ru => Lang::En,
        Lang::En => Lang::Ru,
    };
    view! {
        <footer class="site-footer">
            <div class="container footer-row">
                <p>{t(Key::FooterNote)}</p>
                <button
                    type="button"
                    class="link-button"
                    lang=if other == Lang::En { "en" } else { "ru" }
                    on:click=move |_| i18n::switch_to(other)
                >
                    {t(Key::OtherLanguage)}
                </button>
            </div>
        </footer>
    }
}

/// Sets the tab's title: the page's own, then the app's name.
pub fn set_title(page: &str) {
    document().set_title(&format!("{page} — {}", t(Key::AppName)));
}
