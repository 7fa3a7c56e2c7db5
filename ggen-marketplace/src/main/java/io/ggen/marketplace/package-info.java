package io.ggen.marketplace;
