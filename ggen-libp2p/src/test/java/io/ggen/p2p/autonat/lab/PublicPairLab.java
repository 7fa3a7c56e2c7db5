package io.ggen.p2p.autonat.lab;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/**
 * Two namespaces, one for our peer and one for js peers, joined by a veth pair on 11.0.0.0/24.
 * js refuses to dial or confirm loopback, private and documentation addresses, so the tests
 * that need js to treat us as a public peer use this range, which both sides count as public;
 * nothing leaves the namespaces.
 */
abstract class PublicPairLab {
    static final String JAVA_IP = "11.0.0.1";
    static final String JS_IP = "11.0.0.2";

    NetLab lab;
    String javaNs;
    String jsNs;

    @BeforeEach
    void openLab() throws Exception {
        lab = NetLab.open();
        javaNs = lab.ns("java");
        jsNs = lab.ns("js");
        lab.link(javaNs, "eth0", JAVA_IP + "/24", jsNs, "eth0", JS_IP + "/24");
    }

    @AfterEach
    void closeLab() throws Exception {
        if (lab != null) lab.close();
    }
}
