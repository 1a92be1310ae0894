//! The frame of every page: the header with sign-in and sign-out, the routes, the footer.

use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::components::{Route, Router, Routes, A};
use leptos_router::hooks::use_navigate;
use leptos_router::{path, NavigateOptions};
use navigator_api_types::Role;
use wasm_bindgen::JsCast;

use crate::api;
use crate::i18n::{self, t, Key, Lang};
use crate::pages::account::AccountPage;
use crate::pages::auth::{LoginPage, RegisterPage};
use crate::pages::catalog::CatalogPage;
use crate::pages::certificate::CertificateHistoryPage;
use crate::pages::enrollment::FamilyEnrollmentPage;
use crate::pages::links::{ActivationPage, InvitationPage};
use crate::pages::notifications::{Bell, NotificationsPage, Unread};
use crate::pages::program::ProgramPage;
use crate::pages::NotFound;
use crate::session::{use_session, Session};
use staff_pages::*;

/// The providers' and operators' pages: their components in the staff bundle; in the public
/// bundle, each one loads the staff bundle (see `bundle.rs`).
#[cfg(feature = "staff")]
mod staff_pages {
    pub use crate::pages::audit::AuditLogPage;
    pub use crate::pages::dashboard::DashboardPage;
    pub use crate::pages::desk::DeskPage;
    pub use crate::pages::files::RegistryFilesPage;
    pub use crate::pages::operator::{InvoiceApprovalPage, OperatorCertificatesPage, PeriodsPage};
    pub use crate::pages::provider::{
        ProviderApplicationsPage, ProviderEnrollmentPage, ProviderEnrollmentsPage,
        ProviderInvoicesPage,
    };
    pub use crate::pages::providers::{ProviderRecordPage, ProvidersPage};
    pub use crate::pages::registry::{
        ModerationQueuePage, NewProgramPage, ProgramRecordPage, ProviderProgramsPage,
    };
}

#[cfg(not(feature = "staff"))]
mod staff_pages {
    pub use crate::bundle::LoadStaffBundle as DashboardPage;
    pub use crate::bundle::LoadStaffBundle as InvoiceApprovalPage;
    pub use crate::bundle::LoadStaffBundle as OperatorCertificatesPage;
    pub use crate::bundle::LoadStaffBundle as PeriodsPage;
    pub use crate::bundle::LoadStaffBundle as ProviderApplicationsPage;
    pub use crate::bundle::LoadStaffBundle as ProviderEnrollmentPage;
    pub use crate::bundle::LoadStaffBundle as ProviderEnrollmentsPage;
    pub use crate::bundle::LoadStaffBundle as ProviderInvoicesPage;
    pub use crate::bundle::LoadStaffBundle as ModerationQueuePage;
    pub use crate::bundle::LoadStaffBundle as NewProgramPage;
    pub use crate::bundle::LoadStaffBundle as ProgramRecordPage;
    pub use crate::bundle::LoadStaffBundle as ProviderProgramsPage;
    pub use crate::bundle::LoadStaffBundle as AuditLogPage;
    pub use crate::bundle::LoadStaffBundle as DeskPage;
    pub use crate::bundle::LoadStaffBundle as RegistryFilesPage;
    pub use crate::bundle::LoadStaffBundle as ProviderRecordPage;
    pub use crate::bundle::LoadStaffBundle as ProvidersPage;
}

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
                <Routes fallback=NotFound>
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
                    <Route path=path!("/provider/applications") view=ProviderApplicationsPage/>
                    <Route path=path!("/provider/enrollments") view=ProviderEnrollmentsPage/>
                    <Route path=path!("/provider/enrollments/:id") view=ProviderEnrollmentPage/>
                    <Route path=path!("/provider/invoices") view=ProviderInvoicesPage/>
                    <Route path=path!("/provider/programs") view=ProviderProgramsPage/>
                    <Route path=path!("/provider/programs/new") view=NewProgramPage/>
                    <Route path=path!("/provider/programs/:id") view=ProgramRecordPage/>
                    <Route path=path!("/operator/programs") view=ModerationQueuePage/>
                    <Route path=path!("/operator/programs/:id") view=ProgramRecordPage/>
                    <Route path=path!("/operator/dashboard") view=DashboardPage/>
                    <Route path=path!("/operator/certificates") view=OperatorCertificatesPage/>
                    <Route path=path!("/operator/invoices") view=InvoiceApprovalPage/>
                    <Route path=path!("/operator/periods") view=PeriodsPage/>
                    <Route path=path!("/operator/providers") view=ProvidersPage/>
                    <Route path=path!("/operator/providers/:id") view=ProviderRecordPage/>
                    <Route path=path!("/operator/files") view=RegistryFilesPage/>
                    <Route path=path!("/operator/desk") view=DeskPage/>
                    <Route path=path!("/operator/audit") view=AuditLogPage/>
                    <Route path=path!("/provider/desk") view=DeskPage/>
                </Routes>
            </main>
            <Footer/>
        </Router>
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
