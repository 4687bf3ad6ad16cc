package dev.corral.policy;

import java.util.Set;

/**
 * Domains under which names belong to many unrelated owners ({@code co.uk}, {@code herokuapp.com},
 * {@code github.io}…): a wildcard over one of them — a network rule or a secret's host — would hand
 * access or a credential to strangers. A sample of the public suffix list, not all of it.
 */
public final class SharedSuffixes {
    private static final Set<String> LIST = Set.of(
            "co.uk", "org.uk", "ac.uk", "gov.uk", "me.uk", "ltd.uk", "plc.uk", "net.uk",
            "com.au", "net.au", "org.au", "edu.au", "gov.au", "co.nz", "org.nz", "co.jp", "ne.jp", "or.jp",
            "ac.jp", "go.jp", "co.kr", "or.kr", "com.br", "net.br", "org.br", "com.cn", "net.cn", "org.cn",
            "gov.cn", "com.tw", "com.hk", "com.sg", "com.my", "co.in", "net.in", "org.in", "co.za", "org.za",
            "com.mx", "com.ar", "com.tr", "co.il", "com.ua", "co.id", "com.ph", "com.vn", "com.pk", "com.ng",
            "com.eg", "com.sa", "co.th",
            "amazonaws.com", "cloudfront.net", "herokuapp.com", "vercel.app", "netlify.app", "pages.dev",
            "workers.dev", "appspot.com", "azurewebsites.net", "blogspot.com", "github.io", "gitlab.io",
            "ngrok.io", "ngrok-free.app", "fly.dev", "onrender.com", "firebaseapp.com", "web.app");

    private SharedSuffixes() {
    }

    public static boolean contains(String domain) {
        return LIST.contains(domain);
    }
}
