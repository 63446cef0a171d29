// Curated network lists for company recognition (used by classify.ts; word rules in
// rules.ts handle the owners these lists do not know). Privacy first: an address whose AS
// is in ISP_ASNS, MOBILE_ASNS or HOSTING_ASNS never names a company, and one in
// EDUCATION_NETWORK_ASNS is education but never names the carrier as the institution.
//
//   ISP_ASNS        fixed-line access ISPs (cable, DSL, fibre, satellite, wireless ISPs),
//                   incumbents incl. their consumer networks, and transit/backbone carriers
//                   whose space is mostly infrastructure or resold (Lumen, Cogent, GTT, NTT,
//                   Arelion, Hurricane Electric, Zayo, Tata, PCCW …). A carrier whose one AS
//                   carries both fixed and mobile lines is here, not in MOBILE_ASNS.
//   MOBILE_ASNS     mobile carriers' networks.
//   HOSTING_ASNS    hosting, cloud, CDN, colocation, IT-outsourcing data centres, VPN/proxy and
//                   secure-web-gateway networks (iCloud Private Relay egress is Akamai 36183,
//                   Cloudflare 13335 and Fastly 54113). Conglomerates whose AS mixes cloud and
//                   corporate use (Amazon, Google, Microsoft, Meta) are here: privacy first.
//   EDUCATION_NETWORK_ASNS  national and regional research & education networks (NRENs) that
//                   carry many institutions: the AS owner is not the visitor's organisation.
//   CONSUMER_PTR_DOMAINS  registrable domains (as tldts getDomain returns them) of ISPs'
//                   reverse-DNS names for subscriber lines; rdns.ts uses them only to take a
//                   company away, never to make one.
//
// Genuine companies, universities and government bodies that own their space (Apple 714,
// Ford 521, IBM, DoD, universities …) are deliberately in no list.
//
// Verification: every ASN here was checked against the CSVs of @ip-location-db/asn
// 2.3.2026061719 (asn-ipv4.csv / asn-ipv6.csv, columns start,end,asn,org): the AS is present
// and its org there is what the label says; the org is the comment on each line. 377 of
// the entries were added because their CSV org is identical to that of an entry checked by
// hand (e.g. the other "Comcast Cable Communications, LLC" or "Societe Francaise Du
// Radiotelephone - SFR SA" ASes). Known oddity: AS719 (Elisa, Finland) is named "RIPE Network
// Coordination Centre" in this data; its ranges are Elisa's. The first 35 PTR domains were
// seen as subscriber host names in public mail headers; the rest are long-standing ISP
// conventions.
//
// To extend: find the AS in the CSV (awk -F, '$3==7922' asn-ipv4.csv | head -2), read its
// org, decide by what the network is used for (not by its name alone), add
// [asn, 'short label'] with the CSV org as the comment, in the one list that fits. An AS
// must be in at most one list (HOSTING is checked first, then MOBILE, ISP, EDUCATION).
// Re-check the orgs when the @ip-location-db/asn version changes.

/** Fixed-line access ISPs and transit carriers (926 ASes). */
export const ISP_ASNS: ReadonlyMap<number, string> = new Map<number, string>([
  [8881, '1&1 Versatel'], // 1&1 Versatel GmbH
  [45758, '3BB'], // Triple T Broadband Public Company Limited
  [8447, 'A1 Austria'], // A1 Telekom Austria AG
  [8562, 'A1 Austria'], // A1 Telekom Austria AG
  [8717, 'A1 Bulgaria'], // A1 Bulgaria EAD
  [13124, 'A1 Bulgaria'], // A1 Bulgaria EAD
  [29580, 'A1 Bulgaria'], // A1 Bulgaria EAD
  [31012, 'A1 Hrvatska'], // A1 Hrvatska d.o.o.
  [21283, 'A1 Slovenija'], // A1 Slovenija telekomunikacijske storitve,d.d.
  [2764, 'AAPT'], // AAPT Limited
  [24309, 'ACT Fibernet'], // Atria Convergence Technologies Pvt. Ltd.,
  [16347, 'Adista'], // ADISTA SAS
  [37611, 'Afrihost'], // AFRIHOST SP (PTY) LTD
  [29119, 'Aire Networks'], // AIRE NETWORKS DEL MEDITERRANEO SL UNIPERSONAL
  [9498, 'Airtel IN'], // Bharti Airtel Limited
  [23870, 'Airtel IN'], // Bharti Airtel Limited
  [24560, 'Airtel IN'], // Bharti Airtel Limited
  [55557, 'Airtel IN'], // Bharti Airtel Limited
  [11172, 'Alestra'], // Alestra, S. de R.L. de C.V.
  [16735, 'Algar'], // ALGAR TELECOM S/A
  [53006, 'Algar'], // ALGAR TELECOM S/A
  [36947, 'Algerie Telecom'], // Telecom Algeria
  [15108, 'Allo'], // Allo Communications LLC
  [7385, 'Allstream'], // Allstream Business US, LLC
  [25540, 'Alphalink'], // Alphalink SASU
  [28118, 'Altice DO'], // ALTICE DOMINICANA S.A.
  [20712, 'Andrews & Arnold'], // Andrews & Arnold Ltd
  [6057, 'ANTEL'], // Administracion Nacional de Telecomunicaciones
  [7482, 'APOL'], // Asia Pacific On-line Service Inc.
  [1299, 'Arelion (Telia Carrier)'], // Arelion Sweden AB
  [27364, 'Armstrong'], // Armstrong
  [2519, 'ARTERIA'], // ARTERIA Networks Corporation
  [17506, 'ARTERIA'], // ARTERIA Networks Corporation
  [4685, 'Asahi Net'], // Asahi Net
  [41230, 'ASK4 (student/residential broadband)'], // ASK4 Limited
  [14589, 'Astound'], // Wave Broadband
  [21817, 'Astound'], // Wave Broadband
  [27568, 'Astound'], // Wave Broadband
  [54858, 'Astound'], // Wave Broadband
  [6079, 'Astound (RCN)'], // RCN
  [11404, 'Astound (Wave)'], // Wave Broadband
  [797, 'AT&T'], // AT&T Services, Inc.
  [2386, 'AT&T'], // AT&T Enterprises, LLC
  [2685, 'AT&T'], // AT&T Corp.
  [2686, 'AT&T'], // AT&T Corp.
  [2687, 'AT&T'], // AT&T Corp.
  [2688, 'AT&T'], // AT&T Corp.
  [3423, 'AT&T'], // AT&T Enterprises, LLC
  [4185, 'AT&T'], // AT&T Enterprises, LLC
  [4186, 'AT&T'], // AT&T Enterprises, LLC
  [4466, 'AT&T'], // AT&T Enterprises, LLC
  [4473, 'AT&T'], // AT&T Enterprises, LLC
  [5671, 'AT&T'], // AT&T Corp.
  [5672, 'AT&T'], // AT&T Corp.
  [6431, 'AT&T'], // AT&T Enterprises, LLC
  [7018, 'AT&T'], // AT&T Enterprises, LLC
  [7287, 'AT&T'], // AT&T Enterprises, LLC
  [11712, 'AT&T'], // AT&T Services, Inc.
  [13965, 'AT&T'], // AT&T Enterprises, LLC
  [13979, 'AT&T'], // AT&T Enterprises, LLC
  [14654, 'AT&T'], // AT&T Enterprises, LLC
  [19483, 'AT&T'], // AT&T Corp.
  [19957, 'AT&T'], // AT&T Enterprises, LLC
  [25993, 'AT&T'], // AT&T Enterprises, LLC
  [6389, 'AT&T (BellSouth)'], // AT&T Enterprises, LLC
  [8030, 'AT&T WorldNet'], // AT&T WorldNet
  [5056, 'Aureon'], // Aureon Network Services
  [200845, 'Avatel'], // AVATEL TELECOM, SA
  [6503, 'Axtel'], // Axtel, S.A.B. de C.V.
  [8473, 'Bahnhof'], // Bahnhof AB
  [28812, 'Bashinformsvyaz'], // PJSC "Bashinformsvyaz"
  [21949, 'Beanfield'], // Beanfield Technologies Inc.
  [3216, 'Beeline RU (Vimpelcom)'], // PJSC "Vimpelcom"
  [8402, 'Beeline RU (Vimpelcom)'], // PJSC "Vimpelcom"
  [17429, 'Beijing Gehua CATV'], // BEIJING GEHUA CATV NETWORK CO.LTD
  [577, 'Bell Canada'], // Bell Canada
  [11489, 'Bell Canada'], // Bell Canada
  [27181, 'Bell Canada'], // Bell Canada
  [36522, 'Bell Canada'], // Bell Canada
  [40304, 'Bell Canada'], // Bell Canada
  [54182, 'Bell Canada'], // Bell Canada
  [855, 'Bell Canada (Aliant)'], // Bell Canada
  [7122, 'Bell Canada (MTS)'], // Bell Canada
  [6697, 'Beltelecom'], // Republican Unitary Telecommunication Enterprise Beltelecom
  [8551, 'Bezeq International'], // Bezeq International Ltd.
  [6774, 'BICS (Proximus carrier)'], // Belgacom International Carrier Services SA
  [2518, 'BIGLOBE'], // BIGLOBE Inc.
  [20686, 'Bisping & Bisping'], // Bisping & Bisping GmbH & Co KG
  [198967, 'BITel'], // BITel Gesellschaft fuer Telekommunikation mbH
  [2376, 'Bleu'], // Bleu SAS
  [30404, 'Blue Stream'], // Blue Stream
  [5410, 'Bouygues Telecom'], // Bouygues Telecom SA
  [12844, 'Bouygues Telecom'], // Bouygues Telecom SA
  [29518, 'Bredband2'], // Bredband2 AB
  [11776, 'Breezeline'], // Breezeline
  [19901, 'Brightspeed'], // Brightspeed
  [51809, 'Brsk'], // BRSK Limited
  [9044, 'BSE Software (ISP)'], // BSE Software GmbH
  [9829, 'BSNL'], // Bharat Sanchar Nigam Ltd
  [2856, 'BT'], // British Telecommunications PLC
  [3300, 'BT'], // British Telecommunications PLC
  [5400, 'BT'], // British Telecommunications PLC
  [6685, 'BT'], // British Telecommunications PLC
  [13205, 'BT'], // British Telecommunications PLC
  [6871, 'BT (Plusnet)'], // British Telecommunications PLC
  [2110, 'BT Ireland'], // BT Communications Ireland Limited
  [3313, 'BT Italia'], // BT Italia S.p.A.
  [8968, 'BT Italia'], // BT Italia S.p.A.
  [13490, 'Buckeye Cablevision'], // Buckeye Cablevision, Inc.
  [11272, 'C Spire Fiber'], // C Spire Fiber
  [11556, 'Cable & Wireless Panama'], // Cable & Wireless Panama
  [18809, 'Cable Onda'], // Cable Onda
  [11492, 'Cable One'], // CABLE ONE, INC.
  [28220, 'Cabo Telecom'], // CABO SERVICOS DE TELECOMUNICACOES LTDA
  [21351, 'Canal+ Telecom'], // Canal + Telecom SAS
  [8048, 'CANTV'], // CANTV Servicios, Venezuela
  [25512, 'CD-Telematika'], // CD-Telematika a.s.
  [34177, 'Celeste'], // CELESTE SAS
  [1680, 'Cellcom Fixed Line IL'], // Cellcom Fixed Line Communication L.P
  [25248, 'Ceske Radiokomunikace'], // RADIOKOMUNIKACE a.s.
  [28725, 'CETIN CZ'], // CETIN a.s.
  [3456, 'Charter'], // Charter Communications Inc
  [8052, 'Charter'], // Charter Communications Inc
  [10838, 'Charter'], // Charter Communications Inc
  [11955, 'Charter'], // Charter Communications Inc
  [13343, 'Charter'], // Charter Communications Inc
  [14065, 'Charter'], // Charter Communications Inc
  [19115, 'Charter'], // Charter Communications
  [19157, 'Charter'], // Charter Communications
  [20231, 'Charter'], // Charter Communications Inc
  [22513, 'Charter'], // Charter Communications
  [22516, 'Charter'], // Charter Communications
  [22677, 'Charter'], // Charter Communications
  [22710, 'Charter'], // Charter Communications
  [22974, 'Charter'], // Charter Communications
  [23132, 'Charter'], // Charter Communications
  [23200, 'Charter'], // Charter Communications
  [23222, 'Charter'], // Charter Communications
  [40264, 'Charter'], // Charter Communications
  [40294, 'Charter'], // Charter Communications
  [7843, 'Charter (Spectrum)'], // Charter Communications Inc
  [10796, 'Charter (Spectrum)'], // Charter Communications Inc
  [11351, 'Charter (Spectrum)'], // Charter Communications Inc
  [11426, 'Charter (Spectrum)'], // Charter Communications Inc
  [11427, 'Charter (Spectrum)'], // Charter Communications Inc
  [12271, 'Charter (Spectrum)'], // Charter Communications Inc
  [20001, 'Charter (Spectrum)'], // Charter Communications Inc
  [20115, 'Charter (Spectrum)'], // Charter Communications
  [33363, 'Charter (Spectrum)'], // Charter Communications, Inc
  [33588, 'Charter (Spectrum)'], // Charter Communications
  [4847, 'China Networks Inter-Exchange'], // China Networks Inter-Exchange
  [4811, 'China Telecom'], // China Telecom (Group)
  [4812, 'China Telecom'], // China Telecom (Group)
  [137266, 'China Telecom'], // China Telecom
  [140061, 'China Telecom'], // China Telecom
  [140292, 'China Telecom'], // China Telecom
  [140293, 'China Telecom'], // China Telecom
  [140308, 'China Telecom'], // China Telecom
  [140319, 'China Telecom'], // China Telecom
  [4134, 'China Telecom (Chinanet)'], // Chinanet
  [58461, 'China Telecom (Chinanet)'], // Chinanet
  [4809, 'China Telecom CN2'], // China Telecom Next Generation Carrier Network
  [58466, 'China Telecom Guangdong'], // CHINANET Guangdong province network
  [136199, 'China Telecom Guangdong'], // CHINANET Guangdong province Yuedong MAN network
  [134773, 'China Telecom Guangzhou'], // CHINANET Guangdong province Guangzhou MAN network
  [134774, 'China Telecom Shenzhen'], // CHINANET Guangdong province Shenzhen MAN network
  [17638, 'China Telecom Tianjin'], // ASN for TIANJIN Provincial Net of CT
  [24138, 'China TieTong'], // China TieTong Telecommunications Corporation
  [9394, 'China TieTong (China Mobile fixed)'], // China TieTong Telecommunications Corporation
  [4837, 'China Unicom'], // CHINA UNICOM China169 Backbone
  [9929, 'China Unicom'], // CHINA UNICOM Industrial Internet Backbone
  [4808, 'China Unicom Beijing'], // China Unicom Beijing Province Network
  [17816, 'China Unicom Guangdong'], // China Unicom IP network China169 Guangdong province
  [17622, 'China Unicom Guangzhou'], // China Unicom Guangzhou network
  [17621, 'China Unicom Shanghai'], // China Unicom Shanghai network
  [17623, 'China Unicom Shenzhen'], // China Unicom Shenzen network
  [18126, 'Chubu Telecom (commufa)'], // Chubu Telecommunications Company, Inc.
  [3462, 'Chunghwa Telecom (HiNet)'], // Chunghwa Telecom Co., Ltd.
  [6181, 'Cincinnati Bell'], // Cincinnati Bell Telephone Company LLC
  [8468, 'CityFibre'], // Cityfibre Limited
  [4230, 'Claro BR (Embratel)'], // CLARO S.A.
  [28573, 'Claro BR (NET)'], // Claro NXT Telecomunicacoes Ltda
  [10620, 'Claro CO (Telmex)'], // Telmex Colombia S.A.
  [14080, 'Claro CO (Telmex)'], // Telmex Colombia S.A.
  [6400, 'Claro DO'], // Compania Dominicana de Telefonos S. A.
  [28006, 'CNT EC'], // CORPORACION NACIONAL DE TELECOMUNICACIONES - CNT EP
  [7992, 'Cogeco'], // Cogeco Connexion Inc.
  [11290, 'Cogeco'], // Cogeco Connexion inc
  [174, 'Cogent'], // Cogent Communications
  [2149, 'Cogent'], // Cogent Communications
  [1239, 'Cogent (ex Sprint)'], // Cogent Communications, LLC
  [8220, 'Colt'], // COLT Technology Services Group Limited
  [15404, 'Colt'], // COLT Technology Services Group Limited
  [7015, 'Comcast'], // Comcast Cable Communications, LLC
  [7016, 'Comcast'], // Comcast Cable Communications, LLC
  [7725, 'Comcast'], // Comcast Cable Communications, LLC
  [7922, 'Comcast'], // Comcast Cable Communications, LLC
  [13367, 'Comcast'], // Comcast Cable Communications, LLC
  [20214, 'Comcast'], // Comcast Cable Communications, LLC
  [21508, 'Comcast'], // Comcast Cable Communications, LLC
  [22258, 'Comcast'], // Comcast Cable Communications, LLC
  [22909, 'Comcast'], // Comcast Cable Communications, LLC
  [33287, 'Comcast'], // Comcast Cable Communications, LLC
  [33489, 'Comcast'], // Comcast Cable Communications, LLC
  [33490, 'Comcast'], // Comcast Cable Communications, LLC
  [33491, 'Comcast'], // Comcast Cable Communications, LLC
  [33650, 'Comcast'], // Comcast Cable Communications, LLC
  [33651, 'Comcast'], // Comcast Cable Communications, LLC
  [33652, 'Comcast'], // Comcast Cable Communications, LLC
  [33653, 'Comcast'], // Comcast Cable Communications, LLC
  [33654, 'Comcast'], // Comcast Cable Communications, LLC
  [33655, 'Comcast'], // Comcast Cable Communications, LLC
  [33656, 'Comcast'], // Comcast Cable Communications, LLC
  [33657, 'Comcast'], // Comcast Cable Communications, LLC
  [33659, 'Comcast'], // Comcast Cable Communications, LLC
  [33660, 'Comcast'], // Comcast Cable Communications, LLC
  [33661, 'Comcast'], // Comcast Cable Communications, LLC
  [33662, 'Comcast'], // Comcast Cable Communications, LLC
  [33665, 'Comcast'], // Comcast Cable Communications, LLC
  [33666, 'Comcast'], // Comcast Cable Communications, LLC
  [33667, 'Comcast'], // Comcast Cable Communications, LLC
  [33668, 'Comcast'], // Comcast Cable Communications, LLC
  [36732, 'Comcast'], // Comcast Cable Communications, LLC
  [36733, 'Comcast'], // Comcast Cable Communications, LLC
  [395974, 'Comcast'], // Comcast Cable Communications, LLC
  [395976, 'Comcast'], // Comcast Cable Communications, LLC
  [395980, 'Comcast'], // Comcast Cable Communications, LLC
  [396017, 'Comcast'], // Comcast Cable Communications, LLC
  [396019, 'Comcast'], // Comcast Cable Communications, LLC
  [396021, 'Comcast'], // Comcast Cable Communications, LLC
  [396415, 'Comcast'], // Comcast Cable Communications, LLC
  [201838, 'Community Fibre'], // Community Fibre Limited
  [14615, 'Comporium'], // Comporium, Inc
  [5742, 'Consolidated Communications'], // Consolidated Communications, Inc.
  [6300, 'Consolidated Communications'], // Consolidated Communications, Inc.
  [12042, 'Consolidated Communications'], // Consolidated Communications, Inc.
  [13333, 'Consolidated Communications'], // Consolidated Communications, Inc.
  [13977, 'Consolidated Communications'], // Consolidated Communications, Inc.
  [14051, 'Consolidated Communications'], // Consolidated Communications, Inc.
  [22647, 'Consolidated Communications'], // Consolidated Communications, Inc.
  [25660, 'Consolidated Communications'], // Consolidated Communications, Inc.
  [32645, 'Consolidated Communications'], // Consolidated Communications, Inc.
  [17639, 'Converge (ComClark)'], // ComClark Network & Technology Corp
  [51263, 'County Broadband'], // County Broadband Ltd
  [22773, 'Cox'], // Cox Communications Inc.
  [27506, 'Crown Castle Fiber'], // Crown Castle Fiber LLC
  [33132, 'Crown Castle Fiber'], // Crown Castle Fiber LLC
  [33313, 'Crown Castle Fiber'], // Crown Castle Fiber LLC
  [46887, 'Crown Castle Fiber'], // Crown Castle Fiber LLC
  [15623, 'Cyberlink CH'], // Cyberlink AG
  [6866, 'Cyta'], // Cyprus Telecommunications Authority
  [10036, "D'LIVE"], // DLIVE
  [15516, 'Dansk Kabel TV'], // DANSK KABEL TV A/S
  [15435, 'DELTA Fiber'], // DELTA Fiber Nederland B.V.
  [30925, 'DELTA Fiber'], // DELTA Fiber Nederland B.V.
  [60294, 'Deutsche Glasfaser'], // Deutsche Glasfaser Wholesale GmbH
  [2773, 'Deutsche Telekom'], // Deutsche Telekom AG
  [2777, 'Deutsche Telekom'], // Deutsche Telekom AG
  [2792, 'Deutsche Telekom'], // Deutsche Telekom AG
  [3320, 'Deutsche Telekom'], // Deutsche Telekom AG
  [20936, 'Deutsche Telekom'], // Deutsche Telekom AG
  [57269, 'DIGI ES'], // DIGI SPAIN TELECOM S.L.U.
  [20845, 'DIGI HU'], // DIGI Tavkozlesi es Szolgaltato Kft.
  [8708, 'DIGI RO'], // DIGI ROMANIA S.A.
  [20879, 'DIGI RO'], // DIGI ROMANIA S.A.
  [31122, 'Digiweb IE'], // Digiweb ltd
  [10474, 'Dimension Data'], // Dimension Data
  [20011, 'Dimension Data'], // Dimension Data
  [3741, 'Dimension Data (Internet Solutions ZA)'], // Dimension Data
  [10201, 'Dishnet Wireless'], // Dishnet Wireless Limited. Broadband Wireless
  [11814, 'Distributel'], // Distributel Communications Limited
  [16086, 'DNA'], // DNA Oyj
  [15763, 'DOKOM21'], // DOKOM Gesellschaft fuer Telekommunikation mbH
  [9457, 'Dreamline'], // DREAMLINE CO.
  [12635, 'Drei Austria'], // Hutchison Drei Austria GmbH
  [8437, 'Drei Austria (fixed, ex Tele2 AT)'], // Hutchison Drei Austria GmbH
  [8368, 'Dstny BE'], // Dstny BE N.V.
  [12693, 'e.discom'], // e.discom Telekommunikation GmbH
  [11260, 'EastLink'], // EastLink
  [12312, 'ecotel'], // ecotel communication ag
  [9031, 'EDPnet'], // EDPNET Belgium BV
  [5466, 'Eir'], // Eircom Limited
  [15751, 'Eir'], // Eircom Limited
  [6667, 'Elisa'], // Elisa Oyj
  [2586, 'Elisa EE'], // Elisa Eesti AS
  [719, 'Elisa FI'], // RIPE Network Coordination Centre
  [39647, 'Enreach NL'], // Enreach Netherlands B.V.
  [12897, 'ENTEGA Medianet'], // ENTEGA Medianet GmbH
  [27651, 'Entel CL'], // ENTEL CHILE S.A.
  [21413, 'envia TEL'], // Envia Tel GmbH
  [35612, 'EOLO'], // EOLO S.p.A.
  [26827, 'EPB Fiber'], // EPB Fiber Optics
  [41733, 'ER-Telecom'], // JSC "ER-Telecom Holding"
  [19429, 'ETB'], // ETB - Colombia
  [24757, 'EthioNet'], // EthioNet
  [5384, 'Etisalat (e&)'], // EMIRATES TELECOMMUNICATIONS GROUP COMPANY (ETISALAT GROUP) PJSC
  [13237, 'euNetworks'], // euNetworks GmbH
  [15702, 'euNetworks'], // euNetworks GmbH
  [24935, 'Eurofiber FR'], // Eurofiber France SAS
  [35625, 'Eurofiber FR'], // Eurofiber France SAS
  [39405, 'Eurofiber FR'], // Eurofiber France SAS
  [198682, 'Eurofiber FR'], // Eurofiber France SAS
  [200780, 'Eurofiber FR'], // Eurofiber France SAS
  [39686, 'Eurofiber NL'], // Eurofiber Nederland BV
  [47167, 'Eurofiber NL'], // Eurofiber Nederland BV
  [5390, 'Euronet Communications'], // Euronet Communications B.V.
  [12338, 'Euskaltel'], // Euskaltel S.A.
  [9066, 'EWE TEL'], // EWE TEL GmbH
  [9145, 'EWE TEL'], // EWE TEL GmbH
  [30740, 'Exa Networks (schools broadband)'], // Exa Networks Limited
  [20804, 'Exatel'], // Exatel S.A.
  [12663, 'Fastweb'], // Fastweb SpA
  [12874, 'Fastweb'], // Fastweb SpA
  [44957, 'Fastweb'], // Fastweb SpA
  [207375, 'Fiber Operator'], // Fiber Operator B.V.
  [213677, 'FiberCop'], // Fibercop S.p.A.
  [44869, 'Fibia DK'], // FIBIA P/S
  [9814, 'FibrLINK (Beijing)'], // Beijing FibrLINK Networks Co.,Ltd.
  [13536, 'FirstLight'], // FirstLight Networks, LLC
  [18403, 'FPT Telecom'], // FPT Telecom Company
  [12322, 'Free'], // Free SAS
  [210595, 'Free'], // Free SAS
  [30781, 'Free Pro'], // Free Pro SAS
  [10013, 'FreeBit'], // FreeBit Co.,Ltd.
  [206238, 'Freedom Internet'], // Freedom Internet BV
  [3593, 'Frontier'], // Frontier Communications of America, Inc.
  [5650, 'Frontier'], // Frontier Communications of America, Inc.
  [7011, 'Frontier'], // Frontier Communications of America, Inc.
  [26127, 'Frontier'], // Frontier Communications of America, Inc.
  [31655, 'Gamma'], // Gamma Telecom Holdings Ltd
  [8047, 'GCI'], // GENERAL COMMUNICATION, INC.
  [8851, 'GCI'], // GCI Network Solutions Limited
  [56329, 'Gigaclear'], // Gigaclear Limited
  [42689, 'Glide (student broadband)'], // Glide Student & Residential Limited
  [31027, 'GlobalConnect DK'], // GlobalConnect A/S
  [42525, 'GlobalConnect DK'], // GlobalConnect A/S
  [202377, 'GlobalConnect DK'], // GlobalConnect A/S
  [2116, 'GlobalConnect NO'], // GLOBALCONNECT AS
  [8896, 'GlobalConnect NO'], // GLOBALCONNECT AS
  [6797, 'GlobalConnect SE'], // GlobalConnect AB
  [12552, 'GlobalConnect SE'], // GlobalConnect AB
  [16150, 'GlobalConnect SE'], // GlobalConnect AB
  [51815, 'GlobalConnect SE'], // GlobalConnect AB
  [48918, 'Globalways'], // Globalways GmbH
  [4775, 'Globe (fixed)'], // Globe Telecom (GMCR,INC)
  [15735, 'GO Malta'], // GO p.l.c.
  [16591, 'Google Fiber'], // Google Fiber Inc.
  [199468, 'Grain'], // GRAIN COMMUNICATIONS LIMITED
  [7459, 'Grande'], // Grande Communications Networks, LLC
  [16504, 'Granite Telecommunications'], // Granite Telecommunications LLC
  [1836, 'green.ch'], // green.ch AG
  [3257, 'GTT'], // GTT Communications Inc.
  [8928, 'GTT'], // GTT Communications Inc.
  [286, 'GTT (ex KPN International)'], // GTT Communications Inc.
  [5571, 'GTT EMEA'], // GTT - EMEA Ltd.
  [16260, 'GTT EMEA'], // GTT - EMEA Ltd.
  [20500, 'GTT EMEA'], // GTT - EMEA Ltd.
  [17488, 'Hathway'], // HATHWAY CABLE AND DATACOM LIMITED
  [36149, 'Hawaiian Telcom'], // Hawaiian Telcom Services Company, Inc.
  [12355, 'HeLi NET'], // HeLi NET Telekommunikation GmbH & Co.
  [9304, 'HGC'], // HGC Global Communications Limited
  [4782, 'HiNet (Chunghwa)'], // Data Communication Business Group
  [9269, 'HKBN'], // Hong Kong Broadband Network Limited
  [9381, 'HKBN Enterprise'], // HKBN Enterprise Solutions HK Limited
  [12676, 'HKN'], // HKN GmbH
  [16097, 'HL komm'], // HL komm Telekommunikations GmbH
  [12824, 'home.pl'], // home.pl S.A.
  [9908, 'Hong Kong Cable TV'], // Hong Kong Cable Television Limited
  [9416, 'Hoshin Multimedia'], // Hoshin Multimedia Center Inc.
  [12849, 'HOT (IL)'], // Hot-Net internet services Ltd.
  [23089, 'Hotwire'], // Hotwire Communications
  [5391, 'Hrvatski Telekom'], // Hrvatski Telekom d.d.
  [13045, 'htp'], // htp GmbH
  [24139, 'Huashu Media'], // Huashu media&Network Limited
  [6621, 'HughesNet (satellite)'], // Hughes Network Systems, LLC
  [6939, 'Hurricane Electric'], // Hurricane Electric LLC
  [56478, 'Hyperoptic'], // Hyperoptic Ltd
  [11830, 'ICE Costa Rica'], // Instituto Costarricense de Electricidad y Telecom.
  [7270, 'IDT'], // IDT Corporation
  [2497, 'IIJ'], // Internet Initiative Japan Inc.
  [4739, 'iiNet'], // iiNet Limited
  [6772, 'ImproWare'], // ImproWare AG
  [20900, 'IMS Networks'], // IMS Networks SAS
  [13110, 'INEA'], // INEA sp. z o.o.
  [33868, 'INEA'], // INEA sp. z o.o.
  [44514, 'INEA'], // INEA sp. z o.o.
  [42652, 'inexio'], // inexio Informationstechnologie und Telekommunikation Gmbh
  [21221, 'Infopact'], // Infopact Netwerkdiensten B.V.
  [13030, 'Init7'], // Init7 (Switzerland) Ltd.
  [5006, 'Inteliquent'], // Inteliquent, inc.
  [8369, 'Intersvyaz'], // Intersvyaz-2 JSC
  [12301, 'Invitech HU'], // Invitech ICT Services Kft.
  [36884, 'inwi (Wana)'], // Wana Corporate
  [9365, 'its communications (JP cable)'], // its communications Inc.
  [8758, 'iWay'], // Iway AG
  [4455, 'IX Reach'], // IX Reach Ltd
  [11888, 'Izzi (Televisa)'], // Television Internacional, S.A. de C.V.
  [4721, 'J:COM'], // JCOM Co., Ltd.
  [9617, 'J:COM'], // JCOM Co., Ltd.
  [9824, 'J:COM'], // JCOM Co., Ltd.
  [8681, 'JT Jersey'], // JT (Jersey) Limited
  [8339, 'kabelplus'], // kabelplus GmbH
  [13170, 'Kaisanet'], // Kaisanet Oy
  [9198, 'Kazakhtelecom'], // JSC Kazakhtelecom
  [38841, 'kbro'], // kbro CO. Ltd.
  [8897, 'KCOM'], // KCOM Group Limited
  [12390, 'KCOM'], // KCOM GROUP LIMITED
  [2516, 'KDDI'], // KDDI CORPORATION
  [12360, 'KEVAG Telekom'], // KEVAG Telekom GmbH
  [13193, 'Keyyo'], // KEYYO SA
  [18081, 'Kintetsu Cable'], // Kintetsu Cable Network Co., Ltd.
  [4766, 'Korea Telecom (KT)'], // Korea Telecom
  [1136, 'KPN'], // KPN B.V.
  [2043, 'KPN'], // KPN B.V.
  [8737, 'KPN'], // KPN B.V.
  [12871, 'KPN'], // KPN B.V.
  [21286, 'KPN'], // KPN B.V.
  [197727, 'KPN'], // KPN B.V.
  [3265, 'KPN (XS4ALL)'], // XS4ALL-NL KPN B.V.
  [24679, 'kyberio'], // kyberio GmbH
  [12886, 'LEW TelNet'], // LEW TelNet GmbH
  [9845, 'LG HelloVision'], // LG HelloVision Corp.
  [38091, 'LG HelloVision'], // LG HelloVision Corp.
  [9316, 'LG U+ (Dacom)'], // DACOM-PUBNETPLUS
  [3786, 'LG U+ (LG Dacom)'], // LG DACOM Corporation
  [17858, 'LG U+ (LG Powercomm)'], // LG POWERCOMM
  [31079, 'Liberty Global'], // Liberty Global B.V.
  [59776, 'Liberty Global'], // Liberty Global B.V.
  [6830, 'Liberty Global (UPC/Virgin Media IE/Telenet)'], // Liberty Global B.V.
  [14638, 'Liberty PR'], // Liberty Communications of Puerto Rico LLC
  [54004, 'Lightpath (Altice business)'], // Cablevision Lightpath LLC
  [24863, 'LINKdotNET'], // LINKdotNET AS number
  [23700, 'Linknet'], // Linknet-Fastnet ASN
  [44407, 'Linkt'], // Linkt SAS
  [30844, 'Liquid'], // Liquid Telecommunications Ltd
  [36937, 'Liquid'], // Liquid Telecommunications South Africa (Pty) Ltd
  [12605, 'LIWEST'], // LIWEST Kabelmedien GmbH
  [12969, 'Ljosleidarinn IS'], // Ljosleidarinn ehf
  [25956, 'Logix'], // Logix
  [39699, 'Lounea'], // Lounea Palvelut Oy
  [1, 'Lumen'], // Level 3 Communications, Inc.
  [202, 'Lumen'], // Level 3 Communications, Inc.
  [203, 'Lumen'], // Level 3 Communications, Inc.
  [2379, 'Lumen'], // CenturyLink Communications, LLC
  [3909, 'Lumen'], // CenturyLink Communications, LLC
  [3910, 'Lumen'], // CenturyLink Communications, LLC
  [4015, 'Lumen'], // CenturyLink Communications, LLC
  [4282, 'Lumen'], // CenturyLink Communications, LLC
  [4283, 'Lumen'], // CenturyLink Communications, LLC
  [4284, 'Lumen'], // CenturyLink Communications, LLC
  [4911, 'Lumen'], // CenturyLink Communications, LLC
  [5778, 'Lumen'], // CenturyLink Communications, LLC
  [6222, 'Lumen'], // CenturyLink Communications, LLC
  [6223, 'Lumen'], // CenturyLink Communications, LLC
  [6224, 'Lumen'], // CenturyLink Communications, LLC
  [7359, 'Lumen'], // CenturyLink Communications, LLC
  [11398, 'Lumen'], // CenturyLink Communications, LLC
  [14905, 'Lumen'], // CenturyLink Communications, LLC
  [14921, 'Lumen'], // CenturyLink Communications, LLC
  [16835, 'Lumen'], // CenturyLink Communications, LLC
  [16941, 'Lumen'], // CenturyLink Communications, LLC
  [17402, 'Lumen'], // CenturyLink Communications, LLC
  [18756, 'Lumen'], // Level 3 Communications, Inc.
  [23126, 'Lumen'], // CenturyLink Communications, LLC
  [393789, 'Lumen'], // CenturyLink Communications, LLC
  [22561, 'Lumen (CenturyLink)'], // CenturyLink Communications, LLC
  [209, 'Lumen (CenturyLink/Qwest)'], // CenturyLink Communications, LLC
  [3561, 'Lumen (CenturyLink/Savvis)'], // CenturyLink Communications, LLC
  [3356, 'Lumen (Level 3)'], // Level 3 Communications, Inc.
  [10753, 'Lumen (Level 3)'], // Level 3 Communications, Inc.
  [3549, 'Lumen (Level 3/Global Crossing)'], // Level 3 Communications, Inc.
  [9057, 'Lumen UK'], // Level3 Lumen Technologies UK Limited
  [50629, 'LWLcom'], // LWLcom GmbH
  [8903, 'Lyntia'], // LYNTIA NETWORKS S.A.
  [29695, 'Lyse'], // Lyse Tele AS
  [8767, 'M-net'], // M-net Telekommunikations GmbH
  [8412, 'Magenta Telekom AT'], // T-Mobile Austria GmbH
  [39210, 'Magenta Telekom AT'], // T-Mobile Austria GmbH
  [5483, 'Magyar Telekom'], // Magyar Telekom plc.
  [6821, 'Makedonski Telekom'], // Makedonski Telekom AD-Skopje
  [8365, 'man-da.de'], // Man-da.de GmbH
  [6713, 'Maroc Telecom'], // Itissalat Al-MAGHRIB
  [36903, 'Maroc Telecom'], // Office National des Postes et Telecommunications ONPT (Maroc Telecom) / IAM
  [15704, 'MasMovil (Xtra Telecom)'], // XTRA TELECOM S.A.
  [23889, 'Mauritius Telecom'], // MauritiusTelecom
  [9534, 'Maxis Broadband'], // Maxis Broadband Sdn Bhd
  [30036, 'Mediacom'], // Mediacom Communications Corp
  [13999, 'Megacable'], // Mega Cable, S.A. de C.V.
  [12709, 'Melita'], // Melita Limited
  [3243, 'MEO'], // MEO - SERVICOS DE COMUNICACOES E MULTIMEDIA S.A.
  [8657, 'MEO'], // MEO - SERVICOS DE COMUNICACOES E MULTIMEDIA S.A.
  [15525, 'MEO'], // MEO - SERVICOS DE COMUNICACOES E MULTIMEDIA S.A.
  [30600, 'Metronet'], // Metronet
  [13591, 'Mexico Red de Telecomunicaciones'], // Mexico Red de Telecomunicaciones, S. de R.L. de C.V.
  [25513, 'MGTS'], // PJSC Moscow city telephone network
  [11232, 'Midco'], // Midcontinent Communications
  [25394, 'MK Netzdienste'], // MK Netzdienste Verwaltungs GmbH trading as MK Netzdienste GmbH & Co. KG
  [8926, 'Moldtelecom'], // Moldtelecom SA
  [3816, 'Movistar CO'], // COLOMBIA TELECOMUNICACIONES S.A. ESP
  [17813, 'MTNL'], // Mahanagar Telephone Nigam Limited
  [8359, 'MTS RU'], // MTS PJSC
  [21021, 'Multimedia Polska'], // Multimedia Polska Sp. z o.o.
  [8422, 'NetCologne'], // NetCologne Gesellschaft fur Telekommunikation mbH
  [41998, 'NetCom BW'], // NetCom BW GmbH
  [8319, 'NETHINKS'], // NETHINKS GmbH
  [12741, 'Netia'], // Netia SA
  [12887, 'Netia'], // Netia SA
  [29167, 'Netia'], // Netia SA
  [30793, 'Netia'], // Netia SA
  [41809, 'Netia'], // Netia SA
  [43939, 'Netia'], // Netia SA
  [15547, 'netplus.ch'], // netplus.ch SA
  [5605, 'NetUSE'], // NetUSE AG
  [9919, 'New Century InfoComm (TW)'], // New Century InfoComm Tech Co., Ltd.
  [1764, 'Next Layer AT'], // Next Layer Telekommunikationsdienstleistungs- und Beratungs GmbH
  [15659, 'NextGenTel NO'], // NextGenTel AS
  [41960, 'Nextpertise'], // Nextpertise B.V.
  [57795, 'NG-BLU Networks'], // NG-BLU Networks B.V.
  [8362, 'Nordnet FR'], // NordNet SA
  [3308, 'Norlys'], // Norlys Digital A/S
  [1897, 'NOS'], // NOS COMUNICACOES, S.A.
  [2860, 'NOS'], // NOS COMUNICACOES, S.A.
  [1241, 'Nova GR'], // Nova Telecommunications & Media Single Member S.A
  [31200, 'Novotelecom'], // Novotelecom Ltd
  [13156, 'NOWO'], // NOWO COMMUNICATIONS, S.A.
  [9931, 'NT (TH)'], // National Telecom Public Company Limited
  [23969, 'NT (TOT)'], // TOT Public Company Limited
  [93, 'NTT America'], // NTT America, Inc.
  [262, 'NTT America'], // NTT America, Inc.
  [275, 'NTT America'], // NTT America, Inc.
  [1225, 'NTT America'], // NTT America, Inc.
  [2914, 'NTT America'], // NTT America, Inc.
  [3938, 'NTT America'], // NTT America, Inc.
  [3949, 'NTT America'], // NTT America, Inc.
  [7019, 'NTT America'], // NTT America, Inc.
  [11158, 'NTT America'], // NTT America, Inc.
  [4713, 'NTT OCN'], // NTT Communications Corporation
  [2514, 'NTT PC'], // NTT PC Communications, Inc.
  [7671, 'NTT SmartConnect'], // NTT SmartConnect Corporation
  [9595, 'NTT-ME'], // NTT-ME Corporation
  [5610, 'O2 Czech'], // O2 Czech Republic, a.s.
  [12570, 'O2 Czech'], // O2 Czech Republic, a.s.
  [16246, 'O2 Czech'], // O2 Czech Republic, a.s.
  [29321, 'O2 Czech'], // O2 Czech Republic, a.s.
  [31246, 'O2 Czech'], // O2 Czech Republic, a.s.
  [41046, 'O2 Czech'], // O2 Czech Republic, a.s.
  [42908, 'O2 Czech'], // O2 Czech Republic, a.s.
  [44070, 'O2 Czech'], // O2 Czech Republic, a.s.
  [49767, 'O2 Czech'], // O2 Czech Republic, a.s.
  [25596, 'Odido'], // Odido Netherlands B.V.
  [13127, 'Odido (ex Tele2 NL)'], // Odido Netherlands B.V.
  [50266, 'Odido (fixed)'], // Odido Netherlands B.V.
  [28885, 'Omantel'], // Oman Telecommunications Company (S.A.O.G)
  [21334, 'One Hungary (Vodafone HU)'], // One Hungary Ltd.
  [9500, 'One NZ'], // One New Zealand Group Limited
  [4768, 'One NZ (fixed)'], // One New Zealand Group Limited
  [8781, 'Ooredoo QA'], // Ooredoo Q.S.C.
  [210218, 'Open Fiber'], // Open Fiber S.P.A.
  [17511, 'OPTAGE'], // OPTAGE Inc.
  [6128, 'Optimum (Cablevision)'], // Cablevision Systems Corp.
  [19108, 'Optimum (Suddenlink)'], // Suddenlink Communications
  [4804, 'Optus'], // SingTel Optus Pty Ltd
  [7474, 'Optus'], // SingTel Optus Pty Ltd
  [5511, 'Orange (OpenTransit)'], // Orange S.A.
  [47377, 'Orange Belgium'], // Orange Belgium SA
  [56369, 'Orange Belgium'], // Orange Belgium SA
  [207467, 'Orange Belgium'], // Orange Belgium SA
  [2854, 'Orange Business Services'], // LLC Orange Business Services
  [51964, 'Orange Business Services'], // ORANGE BUSINESS SERVICES U.S. Inc.
  [12386, 'Orange ES'], // Orange Espagne SA
  [12479, 'Orange ES'], // Orange Espagne SA
  [12715, 'Orange ES'], // Orange Espagne SA
  [20921, 'Orange ES'], // Orange Espagne SA
  [2278, 'Orange FR'], // Orange S.A.
  [2280, 'Orange FR'], // Orange S.A.
  [2917, 'Orange FR'], // Orange S.A.
  [3215, 'Orange FR'], // Orange S.A.
  [28708, 'Orange FR'], // Orange S.A.
  [8376, 'Orange Jordan'], // Jordan Data Communications Company LLC
  [5617, 'Orange Polska'], // Orange Polska Spolka Akcyjna
  [21395, 'Orange Polska'], // Orange Polska Spolka Akcyjna
  [29535, 'Orange Polska'], // Orange Polska Spolka Akcyjna
  [43447, 'Orange Polska'], // Orange Polska Spolka Akcyjna
  [8953, 'Orange RO'], // Orange Romania S.A.
  [9050, 'Orange RO'], // Orange Romania S.A.
  [37492, 'Orange Tunisie'], // Orange Tunisie
  [328126, 'Orange Tunisie'], // Orange Tunisie
  [9812, 'Oriental Cable Network'], // Oriental Cable Network Co., Ltd.
  [12713, 'OTE'], // Ote SA (Hellenic Telecommunications Organisation)
  [6799, 'OTE (Cosmote)'], // Ote SA (Hellenic Telecommunications Organisation)
  [12975, 'Paltel'], // Palestine Telecommunications Company (PALTEL)
  [12400, 'Partner IL'], // Partner Communications Ltd.
  [4515, 'PCCW'], // PCCW IMS Ltd (PCCW Business Internet Access)
  [4760, 'PCCW (Netvigator)'], // PCCW IMS Limited
  [3491, 'PCCW Global'], // PCCW Global (HK) Limited
  [3737, 'PenTeleData'], // PenTeleData Inc.
  [21473, 'PFALZKOM'], // PFALZKOM GmbH
  [9299, 'PLDT'], // Philippine Long Distance Telephone Co.
  [12306, 'Plus.line'], // Plus.line AG
  [20676, 'Plusnet DE'], // Plusnet GmbH
  [15425, 'PODA'], // PODA a.s.
  [30764, 'PODA'], // PODA a.s.
  [6661, 'POST Luxembourg'], // POST Luxembourg
  [57878, 'Prager Connect'], // Prager Connect GmbH
  [6407, 'Primus CA'], // Primus Telecommunications Canada Inc.
  [5432, 'Proximus'], // Proximus NV
  [5488, 'Proximus'], // Proximus NV
  [25367, 'Proximus Luxembourg'], // Proximus Luxembourg S.A.
  [56665, 'Proximus Luxembourg (Tango)'], // Proximus Luxembourg S.A.
  [17557, 'PTCL'], // Pakistan Telecommuication company limited
  [62336, 'PURtel'], // PURtel.com GmbH
  [7679, 'QTnet'], // QTnet,Inc.
  [29208, 'Quantcom CZ'], // Quantcom, a.s.
  [15600, 'Quickline'], // Quickline AG
  [12334, 'R Cable'], // R Cable y Telecable Telecomunicaciones, S.A.U.
  [12946, 'R Cable (Telecable)'], // R Cable y Telecable Telecomunicaciones, S.A.U.
  [12611, 'R-KOM'], // R-KOM Regensburger Telekommunikationsgesellschaft mbH
  [18101, 'Reliance Communications'], // Reliance Communications Limited
  [3302, 'Retelit'], // Retelit Digital Services S.p.A.
  [37002, 'Reunicable'], // Reunicable SAS
  [17306, 'Rise Broadband (JAB Wireless)'], // JAB Wireless, INC.
  [812, 'Rogers'], // Rogers Communications Canada Inc.
  [8160, 'Rogers'], // Rogers Communications Canada Inc.
  [26788, 'Rogers'], // Rogers Communications Canada Inc.
  [29988, 'Rogers'], // Rogers Communications Canada Inc.
  [40383, 'Rogers'], // Rogers Communications Canada Inc.
  [54412, 'Rogers'], // Rogers Communications Canada Inc.
  [12389, 'Rostelecom'], // PJSC Rostelecom
  [42610, 'Rostelecom'], // PJSC Rostelecom
  [28685, 'Routit'], // Routit BV
  [8342, 'RTComm'], // JSC RTComm.RU
  [8445, 'Salzburg AG'], // SALZBURG AG fur Energie, Verkehr und Telekommunikation
  [3262, 'SAREnet'], // SAREnet, S.A.
  [35518, 'sasag'], // sasag Kabelkommunikation AG
  [803, 'SaskTel'], // Saskatchewan Telecommunications
  [14522, 'Satnet'], // Satnet
  [37100, 'SEACOM'], // SEACOM Limited
  [4780, 'SEEDNet (Digital United)'], // Digital United Inc.
  [9848, 'Sejong Networks'], // SEJONG NETWORKS
  [8399, 'Sewan'], // SEWAN SAS
  [3305, 'SFR'], // Societe Francaise Du Radiotelephone - SFR SA
  [12566, 'SFR'], // Societe Francaise Du Radiotelephone - SFR SA
  [15557, 'SFR'], // Societe Francaise Du Radiotelephone - SFR SA
  [15890, 'SFR'], // Societe Francaise Du Radiotelephone - SFR SA
  [21502, 'SFR'], // Societe Francaise Du Radiotelephone - SFR SA
  [34860, 'SFR'], // Societe Francaise Du Radiotelephone - SFR SA
  [35632, 'SFR'], // Societe Francaise Du Radiotelephone - SFR SA
  [43763, 'SFR'], // Societe Francaise Du Radiotelephone - SFR SA
  [47206, 'SFR'], // Societe Francaise Du Radiotelephone - SFR SA
  [49112, 'SFR'], // Societe Francaise Du Radiotelephone - SFR SA
  [208157, 'SFR'], // Societe Francaise Du Radiotelephone - SFR SA
  [6327, 'Shaw'], // Shaw Communications
  [4670, 'Shinbiro (KR)'], // Shinbiro
  [9583, 'Sify'], // Sify Limited
  [35805, 'Silknet'], // JSC "Silknet"
  [3758, 'SingNet (Singtel)'], // SingNet Pte Ltd
  [9506, 'Singtel'], // Singapore Telecommunications Ltd, Magix Services
  [9318, 'SK Broadband'], // SK Broadband Co Ltd
  [17849, 'SK Broadband'], // SK Broadband Co Ltd
  [210278, 'Sky Italia'], // Sky Italia srl
  [5607, 'Sky UK'], // Sky UK Limited
  [39627, 'Sky UK'], // Sky UK Limited
  [207163, 'Sky UK'], // Sky UK Limited
  [6855, 'Slovak Telekom'], // Slovak Telekom, a.s.
  [8257, 'Slovanet'], // Slovanet a.s.
  [4725, 'SoftBank'], // SoftBank Corp.
  [17676, 'SoftBank'], // SoftBank Corp.
  [12414, 'Solcon'], // Solcon Internetdiensten B.V.
  [8346, 'Sonatel'], // SONATEL-AS Autonomous System
  [46375, 'Sonic'], // Sonic Telecom LLC
  [2527, 'Sony Network (So-net)'], // Sony Network Communications Inc.
  [4771, 'Spark NZ'], // Spark New Zealand Trading Limited
  [2711, 'Spirit Communications'], // Spirit Communications
  [16082, 'Spitfire'], // Spitfire Network Services Limited
  [9329, 'Sri Lanka Telecom'], // Sri Lanka Telecom Ltd
  [4657, 'StarHub'], // Starhub Ltd.
  [55430, 'StarHub'], // Starhub Internet Pte Ltd
  [14593, 'Starlink (SpaceX)'], // Space Exploration Technologies Corporation
  [44489, 'STARNET CZ'], // STARNET, s.r.o.
  [25019, 'STC'], // Saudi Telecom Company JSC
  [39891, 'STC'], // Saudi Telecom Company JSC
  [34108, 'Stichting Breedband Delft'], // Stichting Breedband Delft
  [7522, 'STNet'], // STNet, Incorporated
  [6730, 'Sunrise'], // Sunrise GmbH
  [38195, 'Superloop'], // SUPERLOOP (AUSTRALIA) PTY LTD
  [34984, 'Superonline (Turkcell)'], // Superonline Iletisim Hizmetleri A.S.
  [8680, 'Sure Guernsey'], // Sure (Guernsey) Limited
  [5578, 'SWAN SK'], // SWAN, a.s.
  [3303, 'Swisscom'], // Swisscom (Schweiz) AG
  [6837, 'Swisscom'], // Swisscom (Schweiz) AG
  [8300, 'Swisscom'], // Swisscom (Schweiz) AG
  [12429, 'Swisscom'], // Swisscom (Schweiz) AG
  [60633, 'Swisscom'], // Swisscom (Schweiz) AG
  [207790, 'SWN Stadtwerke Neumuenster'], // SWN Stadtwerke Neumuenster GmbH
  [39326, 'Syntura'], // Syntura Group Limited
  [29256, 'Syrian Telecom'], // Syrian Telecom
  [34779, 'T-2 SI'], // T-2, d.o.o.
  [20507, 'T-Mobile NL'], // T-mobile Netherlands B.V.
  [34430, 'T-Mobile NL'], // T-mobile Netherlands B.V.
  [15670, 'T-Mobile NL (legacy network)'], // T-mobile Netherlands B.V.
  [9924, 'Taiwan Fixed Network'], // Taiwan Fixed Network, Telco and Network Service Provider.
  [8820, 'tal.de'], // tal.de GmbH
  [8586, 'TalkTalk'], // TalkTalk Communications Limited
  [13285, 'TalkTalk'], // TalkTalk Communications Limited
  [6453, 'Tata Communications'], // TATA COMMUNICATIONS (AMERICA) INC
  [17908, 'Tata Communications'], // Tata Communications Limited
  [4755, 'Tata Communications (VSNL)'], // Tata Communications Limited
  [45820, 'Tata Teleservices'], // TTSL-ISP DIVISION
  [28840, 'Tattelecom'], // PJSC "TATTELECOM"
  [58224, 'TCI (Iran)'], // Iran Telecommunication Company PJS
  [3292, 'TDC (Nuuday/YouSee)'], // TDC Holding A/S
  [4181, 'TDS Telecom'], // TDS TELECOM
  [11664, 'Techtel (Claro AR)'], // Techtel LMDS Comunicaciones Interactivas S.A.
  [5645, 'TekSavvy'], // TekSavvy Solutions, Inc.
  [27947, 'Telconet'], // Telconet S.A
  [16202, 'Tele Columbus (PYUR)'], // Tele Columbus AG
  [20880, 'Tele Columbus (PYUR)'], // Tele Columbus AG
  [35244, 'Tele Columbus (PYUR)'], // Tele Columbus AG
  [50436, 'Tele Columbus (PYUR)'], // Tele Columbus AG
  [1257, 'Tele2 SE'], // Tele2 Sverige AB
  [3246, 'Tele2 SE'], // Tele2 Sverige AB
  [27747, 'Telecentro'], // Telecentro S.A.
  [7303, 'Telecom Argentina'], // Telecom Argentina S.A.
  [8452, 'Telecom Egypt (TE Data)'], // TE-AS
  [20746, 'Telecom Italia'], // Telecom Italia S.p.A.
  [6762, 'Telecom Italia Sparkle'], // TELECOM ITALIA SPARKLE S.p.A.
  [8244, 'Telecom Italia Sparkle'], // TELECOM ITALIA SPARKLE S.p.A.
  [37054, 'Telecom Malagasy'], // Telecom Malagasy
  [7418, 'Telefonica (Movistar) CL'], // TELEFONICA CHILE S.A.
  [6147, 'Telefonica (Movistar) PE'], // Telefonica del Peru S.A.A.
  [10834, 'Telefonica AR'], // Telefonica de Argentina
  [22927, 'Telefonica AR'], // Telefonica de Argentina
  [12638, 'Telefonica DE'], // Telefonica Germany GmbH & Co.OHG
  [6805, 'Telefonica DE (O2)'], // Telefonica Germany GmbH & Co.OHG
  [14117, 'Telefonica del Sur'], // Telefonica del Sur S.A.
  [3352, 'Telefonica ES (Movistar)'], // TELEFONICA DE ESPANA S.A.U.
  [20570, 'Telekom Deutschland'], // Telekom Deutschland GmbH
  [48951, 'Telekom Deutschland'], // Telekom Deutschland GmbH
  [5603, 'Telekom Slovenije'], // Telekom Slovenije, d.d.
  [8400, 'Telekom Srbija'], // TELEKOM SRBIJA a.d.
  [3212, 'Telemach SI'], // Telemach Slovenija d.o.o.
  [12843, 'TelemaxX'], // TelemaxX Telekommunikation GmbH
  [6848, 'Telenet'], // Telenet BV
  [9158, 'Telenor DK'], // Telenor A/S
  [2119, 'Telenor NO'], // Telenor Norge AS
  [197943, 'Telenor NO'], // Telenor Norge AS
  [200168, 'Telenor NO'], // Telenor Norge AS
  [8434, 'Telenor SE'], // Telenor Sverige AB
  [33885, 'Telenor SE'], // Telenor Sverige AB
  [14754, 'Telgua'], // Telgua
  [1729, 'Telia'], // Telia Company AB
  [3274, 'Telia Cygate FI'], // Telia Cygate Oy
  [29422, 'Telia Cygate FI'], // Telia Cygate Oy
  [51188, 'Telia Cygate FI'], // Telia Cygate Oy
  [200711, 'Telia Cygate FI'], // Telia Cygate Oy
  [3249, 'Telia EE'], // Telia Eesti AS
  [198632, 'Telia EE'], // Telia Eesti AS
  [764, 'Telia FI'], // Telia Finland Oyj
  [1759, 'Telia FI'], // Telia Finland Oyj
  [5522, 'Telia LT'], // Telia Lietuva, AB
  [8764, 'Telia LT'], // Telia Lietuva, AB
  [43811, 'Telia LT'], // Telia Lietuva, AB
  [25400, 'Telia NO'], // Telia Norge AS
  [49455, 'Telia NO'], // Telia Norge AS
  [198309, 'Telia NO'], // Telia Norge AS
  [3301, 'Telia SE'], // Telia Company AB
  [7713, 'Telkom Indonesia'], // Telekomunikasi Indonesia (PT)
  [5713, 'Telkom SA'], // Telkom SA Ltd.
  [37457, 'Telkom SA'], // Telkom SA Ltd.
  [6535, 'Telmex'], // Telmex Servicios Empresariales S.A.
  [8151, 'Telmex (Uninet)'], // Uninet S.A. de C.V.
  [1221, 'Telstra'], // Telstra Limited
  [135887, 'Telstra'], // Telstra Limited
  [1290, 'Telstra Europe'], // TelstraEuropeLtd-Backbone - IDDQD
  [4637, 'Telstra International'], // Telstra International Limited
  [852, 'TELUS'], // TELUS Communications Inc.
  [7861, 'TELUS'], // TELUS Communications Inc.
  [14663, 'TELUS'], // TELUS Communications Inc.
  [54359, 'TELUS'], // TELUS Communications Inc.
  [54841, 'TELUS'], // TELUS Communications Inc.
  [62969, 'TELUS'], // TELUS Communications Inc.
  [396472, 'TELUS'], // TELUS Communications Inc.
  [42366, 'TerraTransit'], // TerraTransit AG
  [12578, 'Tet LV'], // SIA Tet
  [13489, 'Tigo UNE (EPM)'], // EPM Telecomunicaciones S.A. E.S.P.
  [5609, 'TIM'], // Telecom Italia S.p.A.
  [47224, 'TIM'], // Telecom Italia S.p.A.
  [3269, 'TIM (Telecom Italia)'], // Telecom Italia S.p.A.
  [9930, 'TIME dotCom'], // TT DOTCOM SDN BHD
  [8612, 'Tiscali IT'], // Tiscali Italia S.P.A.
  [20960, 'TK Telekom PL'], // TK Telekom sp. z o.o.
  [4788, 'TM (Malaysia)'], // TM TECHNOLOGY SERVICES SDN BHD
  [13101, 'TNG Stadtnetz'], // TNG Stadtnetz GmbH
  [10010, 'TOKAI Communications'], // TOKAI Communications Corporation
  [60377, 'Toob'], // Toob Limited
  [37705, 'TOPNET'], // TOPNET
  [17962, 'Topway'], // ShenZhen Topway Video Communication Co. Ltd
  [17072, 'Totalplay'], // TOTAL PLAY TELECOMUNICACIONES SA DE CV
  [22884, 'Totalplay'], // TOTAL PLAY TELECOMUNICACIONES SA DE CV
  [7545, 'TPG'], // TPG Internet Pty Ltd
  [14265, 'TPx'], // TPx Communications
  [20485, 'TransTeleCom'], // Joint Stock Company TransTeleCom
  [48101, 'Trooli'], // Trooli Ltd
  [7470, 'True Internet'], // TRUE INTERNET CORPORATION CO. LTD.
  [17552, 'True Internet'], // TRUE INTERNET CORPORATION CO. LTD.
  [43915, 'TrueSpeed'], // TrueSpeed Communications Limited
  [53791, 'Truespeed'], // Truespeed Internet Services
  [5639, 'TSTT'], // Telecommunication Services of Trinidad and Tobago
  [15774, 'TTK'], // Limited Liability Company "TTK-Svyaz"
  [2609, 'Tunisia BackBone'], // Tunisia BackBone AS
  [327934, 'Tunisie Telecom'], // SOCIETE NATIONALE DES TELECOMMUNICATIONS (Tunisie Telecom)
  [9121, 'Turk Telekom'], // Turk Telekomunikasyon Anonim Sirketi
  [47524, 'Turksat'], // Turksat Uydu Haberlesme ve Kablo TV Isletme A.S.
  [6849, 'Ukrtelecom'], // JSC "Ukrtelecom"
  [5394, 'Unidata'], // UNIDATA S.p.A.
  [30848, 'Unidata'], // UNIDATA S.p.A.
  [28343, 'Unifique'], // UNIFIQUE TELECOMUNICACOES S/A
  [7738, 'V.tal (Oi)'], // V tal
  [8167, 'V.tal (Oi)'], // V tal
  [29314, 'Vectra'], // VECTRA S.A.
  [702, 'Verizon'], // Verizon Business
  [703, 'Verizon'], // Verizon Business
  [1321, 'Verizon'], // Verizon Business
  [1339, 'Verizon'], // Verizon Business
  [1661, 'Verizon'], // Verizon Business
  [1699, 'Verizon'], // Verizon Business
  [3369, 'Verizon'], // Verizon Business
  [3371, 'Verizon'], // Verizon Business
  [3372, 'Verizon'], // Verizon Business
  [3373, 'Verizon'], // Verizon Business
  [3374, 'Verizon'], // Verizon Business
  [3375, 'Verizon'], // Verizon Business
  [3376, 'Verizon'], // Verizon Business
  [3377, 'Verizon'], // Verizon Business
  [3378, 'Verizon'], // Verizon Business
  [6256, 'Verizon'], // Verizon Business
  [6976, 'Verizon'], // Verizon Business
  [6984, 'Verizon'], // Verizon Business
  [6995, 'Verizon'], // Verizon Business
  [7046, 'Verizon'], // Verizon Business
  [11145, 'Verizon'], // Verizon Business
  [12079, 'Verizon'], // Verizon Business
  [12234, 'Verizon'], // Verizon Business
  [14551, 'Verizon'], // Verizon Business
  [17373, 'Verizon'], // Verizon Business
  [46690, 'Verizon'], // Verizon Business
  [701, 'Verizon (UUNET/Fios)'], // Verizon Business
  [2828, 'Verizon (XO)'], // Verizon Business
  [2830, 'Verizon NL'], // Verizon Nederland B.V.
  [1849, 'Verizon UK'], // Verizon UK Limited
  [15572, 'Verizon UK'], // Verizon UK Limited
  [16224, 'Verizon UK'], // Verizon UK Limited
  [21056, 'Vianova'], // Vianova S.p.A
  [7155, 'Viasat (satellite)'], // ViaSat,Inc.
  [5769, 'Videotron'], // Videotron Ltee
  [20365, 'Videotron'], // Videotron Ltee
  [22652, 'Videotron'], // Videotron Ltee
  [54198, 'Videotron'], // Videotron Ltee
  [395761, 'Videotron'], // Videotron Ltee
  [7552, 'Viettel'], // Viettel Group
  [24086, 'Viettel'], // Viettel Corporation
  [5089, 'Virgin Media'], // Virgin Media Limited
  [47474, 'Virtual1'], // Virtual1 Limited
  [57353, 'vitroconnect'], // vitroconnect GmbH
  [8866, 'Vivacom'], // Vivacom Bulgaria EAD
  [43205, 'Vivacom'], // Vivacom Bulgaria EAD
  [10429, 'Vivo (Telefonica BR)'], // TELEFONICA BRASIL S.A
  [18881, 'Vivo (Telefonica BR)'], // TELEFONICA BRASIL S.A
  [26599, 'Vivo (Telefonica BR)'], // TELEFONICA BRASIL S.A
  [27699, 'Vivo (Telefonica BR)'], // TELEFONICA BRASIL S.A
  [45899, 'VNPT'], // VNPT Corp
  [9443, 'Vocus'], // VOCUS PTY LTD
  [4826, 'Vocus AU'], // VOCUS PTY LTD
  [16019, 'Vodafone CZ'], // Vodafone Czech Republic a.s.
  [3209, 'Vodafone DE'], // Vodafone GmbH
  [31334, 'Vodafone DE (Kabel Deutschland)'], // Vodafone GmbH
  [12357, 'Vodafone ES'], // VODAFONE ESPANA S.A.U.
  [12430, 'Vodafone ES'], // VODAFONE ESPANA S.A.U.
  [3329, 'Vodafone GR'], // VODAFONE-PANAFON HELLENIC TELECOMMUNICATIONS COMPANY SA
  [1273, 'Vodafone Group (carrier)'], // Vodafone Group PLC
  [15502, 'Vodafone Ireland'], // Vodafone Ireland Limited
  [34912, 'Vodafone Ireland'], // Vodafone Ireland Limited
  [41883, 'Vodafone Ireland'], // Vodafone Ireland Limited
  [30722, 'Vodafone IT'], // Vodafone Italia S.p.A.
  [6739, 'Vodafone ONO'], // VODAFONE ONO, S.A.
  [12353, 'Vodafone PT'], // Vodafone Portugal - Communicacoes Pessoais S.A.
  [8386, 'Vodafone TR'], // Vodafone Net Iletisim Hizmetler AS
  [15924, 'Vodafone TR'], // Vodafone Net Iletisim Hizmetler AS
  [5378, 'Vodafone UK'], // Vodafone Limited
  [17435, 'Vodafone UK'], // Vodafone Next Generation Services Limited
  [25310, 'Vodafone UK (ex Cable & Wireless)'], // Vodafone Limited
  [33915, 'VodafoneZiggo'], // Vodafone Libertel B.V.
  [12392, 'VOO'], // VOO S.A.
  [25160, 'Vorboss'], // Vorboss Limited
  [9063, 'VSE NET'], // VSE NET GmbH
  [22047, 'VTR'], // VTR BANDA ANCHA S.A.
  [12350, 'VTX'], // VTX Services SA
  [35986, 'Vyve Broadband'], // Vyve Broadband
  [5413, 'Wavenet'], // Wavenet Limited
  [8613, 'Wavenet'], // Wavenet Limited
  [21267, 'Wavenet'], // Wavenet Limited
  [20495, 'We Dare (Cambrium)'], // We Dare B.V.
  [19165, 'Webpass'], // Webpass Inc.
  [20055, 'Wholesail Networks'], // Wholesail networks LLC
  [52075, 'Wifirst (residence Wi-Fi)'], // Wifirst S.A.S.
  [60426, 'WightFibre'], // WightFibre Limited
  [15943, 'wilhelm.tel'], // wilhelm.tel GmbH
  [7029, 'Windstream'], // Windstream Communications LLC
  [1267, 'WindTre'], // WIND TRE S.P.A.
  [12083, 'WOW'], // WideOpenWest Finance LLC
  [8821, 'WWZ'], // WWZ Telekom AG
  [22995, 'Xplore (satellite/rural)'], // Xplore Inc.
  [212655, 'YouFibre'], // YouFibre Limited
  [37154, 'Zamtel'], // Zambia Telecommunications Company Ltd aka ZAMTEL
  [4997, 'Zayo'], // Zayo Bandwidth
  [6461, 'Zayo'], // Zayo Bandwidth
  [11079, 'Zayo'], // Zayo Bandwidth
  [11686, 'Zayo'], // Zayo Bandwidth
  [13555, 'Zayo'], // Zayo Bandwidth
  [15290, 'Zayo'], // Zayo Bandwidth
  [16503, 'Zayo'], // Zayo Bandwidth
  [17025, 'Zayo'], // Zayo Bandwidth
  [19092, 'Zayo'], // Zayo Bandwidth
  [32703, 'Zayo'], // Zayo Bandwidth
  [13037, 'Zen Internet'], // Zen Internet Ltd
  [13370, 'Ziply Fiber'], // Ziply Fiber
])

/** Mobile carriers (144 ASes). */
export const MOBILE_ASNS: ReadonlyMap<number, string> = new Map<number, string>([
  [9790, '2degrees'], // Two Degrees Mobile Limited
  [55831, 'Aircel'], // Aircel Ltd.
  [37140, 'Airtel GH'], // Airtel Ghana Limited
  [45609, 'Airtel IN mobile'], // Bharti Airtel Limited
  [36926, 'Airtel Kenya'], // Airtel Networks Kenya Limited
  [36873, 'Airtel Nigeria'], // Airtel Networks Limited
  [37133, 'Airtel TZ'], // Airtel Tanzania
  [37075, 'Airtel UG'], // Airtel Uganda Limited
  [17709, 'Asia Pacific Telecom (TW mobile)'], // Asia Pacific Telecom
  [20057, 'AT&T Mobility'], // AT&T Enterprises, LLC
  [21299, 'Beeline KZ (Kar-Tel)'], // Kar-Tel LLC
  [13194, 'BITE LT'], // UAB "Bite Lietuva"
  [20910, 'BITE LV'], // SIA "BITE Latvija"
  [37168, 'Cell C'], // Cell C (Pty) Ltd
  [9808, 'China Mobile'], // China Mobile
  [24400, 'China Mobile'], // China Mobile
  [24444, 'China Mobile'], // China Mobile
  [24445, 'China Mobile'], // China Mobile
  [24547, 'China Mobile'], // China Mobile
  [38019, 'China Mobile'], // China Mobile
  [56040, 'China Mobile'], // China Mobile Communications Corporation
  [56041, 'China Mobile'], // China Mobile Communications Corporation
  [56042, 'China Mobile'], // China Mobile Communications Corporation
  [56044, 'China Mobile'], // China Mobile Communications Corporation
  [56045, 'China Mobile'], // China Mobile Communications Corporation
  [56046, 'China Mobile'], // China Mobile Communications Corporation
  [56047, 'China Mobile'], // China Mobile Communications Corporation
  [56048, 'China Mobile'], // China Mobile Communications Corporation
  [132525, 'China Mobile'], // China Mobile Communications Corporation
  [134810, 'China Mobile'], // China Mobile Communications Corporation
  [17421, 'Chunghwa Telecom mobile'], // Mobile Business Group
  [22085, 'Claro BR mobile'], // Claro S/A
  [26611, 'Claro CO (Comcel)'], // COMCEL S.A.
  [12252, 'Claro PE'], // America Movil Peru S.A.C.
  [29247, 'Cosmote'], // Ote SA (Hellenic Telecommunications Organisation)
  [25255, 'Drei Austria mobile'], // Hutchison Drei Austria GmbH
  [15802, 'du (EITC)'], // Emirates Integrated Telecommunications Company PJSC
  [30999, 'Emtel'], // Emtel Ltd
  [21575, 'Entel PE'], // ENTEL PERU S.A.
  [36992, 'Etisalat Misr'], // ETISALAT MISR
  [9674, 'Far EasTone'], // Far EastTone Telecommunication Co., Ltd.
  [51207, 'Free Mobile'], // Free Mobile SAS
  [132199, 'Globe Telecom'], // Globe Telecom Inc.
  [4761, 'Indosat'], // PT. INDOSAT Tbk
  [44244, 'Irancell'], // Iran Cell Service and Communication Company
  [29355, 'Kcell'], // Kcell JSC
  [15895, 'Kyivstar'], // "Kyivstar" PJSC
  [17853, 'LG U+ mobile'], // LGTELECOM
  [34058, 'lifecell UA'], // Limited Liability Company "lifecell"
  [31404, 'Lycamobile UK'], // LYCATEL DISTRIBUTION UK LIMITED
  [4773, 'M1 (SG)'], // M1 LIMITED
  [16010, 'Magti'], // Magticom Ltd.
  [197207, 'MCI (Hamrah-e Aval)'], // Mobile Communication Company of Iran PLC
  [12714, 'MegaFon'], // PJSC MegaFon
  [20632, 'MegaFon'], // PJSC MegaFon
  [31133, 'MegaFon'], // PJSC MegaFon
  [42863, 'MEO mobile'], // MEO - SERVICOS DE COMUNICACOES E MULTIMEDIA S.A.
  [34400, 'Mobily'], // Etihad Etisalat, a joint stock company
  [35819, 'Mobily'], // Etihad Etisalat, a joint stock company
  [27889, 'Movilnet'], // Telecomunicaciones MOVILNET
  [6306, 'Movistar VE'], // TELEFONICA VENEZOLANA, C.A.
  [36974, 'MTN CI'], // MTN COTE D'IVOIRE S.A
  [30986, 'MTN Ghana (Scancom)'], // Scancom Ltd.
  [29465, 'MTN Nigeria'], // MTN NIGERIA Communication limited
  [12091, 'MTN SA'], // MTN SA
  [16637, 'MTN SA'], // MTN SA
  [36972, 'MTN SD'], // MTN SUDAN
  [25106, 'MTS BY'], // Mobile TeleSystems JLLC
  [9605, 'NTT DOCOMO'], // NTT DOCOMO, INC.
  [28024, 'Nuevatel (Viva BO)'], // Nuevatel PCS de Bolivia S.A.
  [29180, 'O2 UK'], // Telefonica UK Limited
  [35228, 'O2 UK (Virgin Media O2)'], // Telefonica UK Limited
  [31615, 'Odido mobile (ex T-Mobile NL)'], // Odido Netherlands B.V.
  [29357, 'Ooredoo KW'], // NATIONAL MOBILE TELECOMMUNICATIONS COMPANY K.S.C.P.
  [37693, 'Ooredoo TN'], // OOREDOO TUNISIE SA
  [29571, 'Orange CI'], // ORANGE COTE D'IVOIRE
  [37069, 'Orange Egypt (Mobinil)'], // The Egyptian Company for Mobile Services (Mobinil)
  [36925, 'Orange Maroc (Meditel)'], // MEDITELECOM
  [15962, 'Orange SK'], // Orange Slovensko a.s.
  [15507, 'Play'], // P4 Sp. z o.o.
  [31242, 'Play'], // P4 Sp. z o.o.
  [41860, 'Play'], // P4 Sp. z o.o.
  [49269, 'Play'], // P4 Sp. z o.o.
  [201019, 'Play'], // P4 Sp. z o.o.
  [9141, 'Play (P4)'], // P4 Sp. z o.o.
  [39603, 'Play (P4)'], // P4 Sp. z o.o.
  [8374, 'Plus (Polkomtel)'], // Polkomtel Sp. z o.o.
  [37105, 'Rain ZA'], // RAIN GROUP HOLDINGS (PTY) LTD
  [138384, 'Rakuten Mobile'], // Rakuten Mobile, Inc.
  [55836, 'Reliance Jio'], // Reliance Jio Infocomm Limited
  [57218, 'RighTel'], // "Rightel Communication Service Company PJS"
  [33771, 'Safaricom'], // Safaricom Limited
  [15796, 'Salt (CH)'], // Salt Mobile SA
  [9644, 'SK Telecom'], // SK Telecom
  [18302, 'SK Telecom'], // SK Telecom
  [17924, 'SmarTone'], // Smartone Mobile communications Limited
  [49902, 'SRR (SFR Reunion)'], // SOCIETE REUNIONNAISE DU RADIOTELEPHONE SCS
  [5588, 'T-Mobile CZ'], // T-Mobile Czech Republic a.s.
  [12767, 'T-Mobile CZ'], // T-Mobile Czech Republic a.s.
  [13036, 'T-Mobile CZ'], // T-Mobile Czech Republic a.s.
  [48574, 'T-Mobile CZ'], // T-Mobile Czech Republic a.s.
  [12912, 'T-Mobile PL'], // T-Mobile Polska S.A.
  [17133, 'T-Mobile US'], // T-Mobile USA, Inc.
  [18933, 'T-Mobile US'], // T-Mobile USA, Inc.
  [21928, 'T-Mobile US'], // T-Mobile USA, Inc.
  [22140, 'T-Mobile US'], // T-Mobile USA, Inc.
  [6614, 'T-Mobile US (ex UScellular)'], // T-Mobile USA, Inc.
  [24158, 'Taiwan Mobile'], // Taiwan Mobile Co., Ltd.
  [28403, 'Telcel MX'], // RadioMovil Dipsa, S.A. de C.V.
  [23693, 'Telkomsel'], // PT. Telekomunikasi Selular
  [13280, 'Three Ireland'], // Three Ireland (Hutchison) limited
  [206067, 'Three UK'], // Hutchison 3G UK Limited
  [27831, 'Tigo CO (Colombia Movil)'], // Colombia Movil
  [23201, 'Tigo PY (Telecel)'], // Telecel S.A.
  [26615, 'TIM Brasil'], // TIM S/A
  [16232, 'TIM mobile'], // Telecom Italia S.p.A.
  [44034, 'Tre SE (Hi3G)'], // Hi3G Access AB
  [20978, 'Turk Telekom mobile'], // TT Mobil Iletisim Hizmetleri A.S
  [16135, 'Turkcell'], // TURKCELL ILETISIM HIZMETLERI A.S.
  [37119, 'Unitel AO'], // UNITEL SA
  [6167, 'Verizon Wireless'], // Verizon Business
  [22394, 'Verizon Wireless'], // Verizon Business
  [29975, 'Vodacom'], // Vodacom
  [36994, 'Vodacom'], // Vodacom
  [18291, 'Vodafone AU'], // Vodafone Australia Pty Ltd
  [133612, 'Vodafone AU (TPG)'], // Vodafone Australia Pty Ltd
  [24835, 'Vodafone Egypt'], // Vodafone Data - Egypt
  [36935, 'Vodafone Egypt'], // Vodafone Data
  [55644, 'Vodafone Idea'], // Vodafone Idea Ltd. (VIL)
  [38266, 'Vodafone Idea (Vi)'], // Vodafone Idea Ltd. (VIL)
  [45271, 'Vodafone Idea (Vi)'], // Vodafone Idea Ltd. (VIL)
  [55410, 'Vodafone Idea (Vi)'], // Vodafone Idea Ltd. (VIL)
  [12302, 'Vodafone RO'], // Vodafone Romania S.A.
  [15897, 'Vodafone TR'], // Vodafone Telekomunikasyon A.S.
  [12294, 'Vodafone UA'], // PrJSC "VF UKRAINE"
  [21497, 'Vodafone UA'], // PrJSC "VF UKRAINE"
  [25135, 'Vodafone UK mobile'], // Vodafone Limited
  [24608, 'WindTre mobile (ex H3G)'], // WIND TRE S.P.A.
  [24203, 'XL Axiata'], // PT XL Axiata
  [213155, 'Yettel HU'], // Yettel Hungary Ltd.
  [43766, 'Zain KSA'], // Mobile Telecommunication Company Saudi Arabia Joint-Stock company
  [42961, 'Zain KW'], // Mobile Telecommunications Company
  [36998, 'Zain SD'], // Sudanese Mobile Telephone (ZAIN) Co Ltd
  [37287, 'Zain ZM'], // Zain Zambia PLC
])

/** Hosting, cloud, CDN, colocation, VPN/proxy networks (414 ASes). */
export const HOSTING_ASNS: ReadonlyMap<number, string> = new Map<number, string>([
  [47447, '23M'], // 23M GmbH
  [200373, '3xK Tech'], // 3xK Tech GmbH
  [51088, 'A2B IP'], // A2B IP B.V.
  [16371, 'acens'], // acens Technologies, S.L.
  [139341, 'Aceville (Tencent Cloud)'], // ACEVILLE PTE.LTD.
  [12222, 'Akamai'], // Akamai Technologies, Inc.
  [16625, 'Akamai'], // Akamai Technologies, Inc.
  [17204, 'Akamai'], // Akamai Technologies, Inc.
  [18680, 'Akamai'], // Akamai Technologies, Inc.
  [18717, 'Akamai'], // Akamai Technologies, Inc.
  [20940, 'Akamai'], // Akamai International B.V.
  [21342, 'Akamai'], // Akamai International B.V.
  [24319, 'Akamai'], // Akamai Technologies, Inc.
  [26008, 'Akamai'], // Akamai Technologies, Inc.
  [31108, 'Akamai'], // Akamai International B.V.
  [31984, 'Akamai'], // Akamai Technologies, Inc.
  [33905, 'Akamai'], // Akamai International B.V.
  [34164, 'Akamai'], // Akamai International B.V.
  [35204, 'Akamai'], // Akamai International B.V.
  [35994, 'Akamai'], // Akamai Technologies, Inc.
  [36029, 'Akamai'], // Akamai Technologies, Inc.
  [43639, 'Akamai'], // Akamai International B.V.
  [49846, 'Akamai'], // Akamai International B.V.
  [200005, 'Akamai'], // Akamai International B.V.
  [213120, 'Akamai'], // Akamai International B.V.
  [393560, 'Akamai'], // Akamai Technologies, Inc.
  [36183, 'Akamai (iCloud Private Relay)'], // Akamai Technologies, Inc.
  [63949, 'Akamai (Linode)'], // Akamai Technologies, Inc.
  [32787, 'Akamai (Prolexic)'], // Akamai Technologies, Inc.
  [24429, 'Alibaba (Taobao)'], // Zhejiang Taobao Network Co.,Ltd
  [45102, 'Alibaba Cloud'], // Alibaba (US) Technology Co., Ltd.
  [134963, 'Alibaba Cloud'], // Alibaba Cloud (Singapore) Private Limited
  [37963, 'Alibaba Cloud (Aliyun)'], // Hangzhou Alibaba Advertising Co.,Ltd.
  [801, 'Amazon'], // Amazon Technologies Inc.
  [38895, 'Amazon'], // Amazon.com Tech Telecom
  [62785, 'Amazon'], // Amazon.com Services, LLC
  [400098, 'Amazon'], // Amazon Technologies Inc.
  [7224, 'Amazon AWS'], // Amazon.com, Inc.
  [8987, 'Amazon AWS'], // Amazon Data Services Ireland Ltd
  [14618, 'Amazon AWS'], // Amazon.com, Inc.
  [16509, 'Amazon AWS'], // Amazon.com, Inc.
  [36263, 'Amazon AWS'], // Amazon.com, Inc.
  [42473, 'Anexia'], // Anexia Cloud Solutions GmbH
  [13768, 'Aptum (Cogeco Peer 1)'], // Aptum Technologies
  [400619, 'ArossCloud'], // AROSSCLOUD INC.
  [8893, 'Artfiles'], // Artfiles New Media GmbH
  [31034, 'Aruba IT'], // Aruba S.p.A.
  [135629, 'AWS China (Ningxia West Cloud)'], // Ningxia West Cloud Data Technology Co.Ltd.
  [55960, 'AWS China (Sinnet)'], // Beijing Guanghuan Xinwang Digital
  [38365, 'Baidu'], // Beijing Baidu Netcom Science and Technology Co., Ltd.
  [55967, 'Baidu'], // Beijing Baidu Netcom Science and Technology Co., Ltd.
  [35041, 'Binero'], // Binero AB
  [12859, 'BIT'], // BIT BV
  [201290, 'BlackGATE'], // BlackGATE B.V.
  [58593, 'Blue Cloud (Azure China)'], // Shanghai Blue Cloud Technology Co.,Ltd
  [5065, 'Bunny'], // Bunny Communications
  [399073, 'Bunny'], // BUNNY TECHNOLOGY LLC
  [200325, 'BunnyCDN'], // BUNNYWAY, informacijske storitve d.o.o.
  [396986, 'ByteDance'], // Bytedance Inc.
  [150436, 'BytePlus (ByteDance)'], // Byteplus Pte. Ltd.
  [30081, 'CacheFly'], // CacheFly
  [38107, 'CDNetworks'], // CDNetworks
  [23724, 'China Telecom IDC'], // IDC, China Telecommunications Corporation
  [38283, 'China Telecom IDC Sichuan'], // CHINANET SiChuan Telecom Internet Data Center
  [36692, 'Cisco Umbrella (OpenDNS) secure web gateway'], // Cisco OpenDNS, LLC
  [8426, 'Claranet'], // Claranet Limited
  [45754, 'Clear Path Networks (VPN egress)'], // Clear Path Networks Inc
  [58519, 'Cloud Computing Corporation'], // Cloud Computing Corporation
  [14789, 'Cloudflare'], // Cloudflare, Inc.
  [132892, 'Cloudflare'], // Cloudflare, Inc.
  [202623, 'Cloudflare'], // Cloudflare Inc
  [203898, 'Cloudflare'], // Cloudflare Inc
  [209242, 'Cloudflare'], // Cloudflare London, LLC
  [394536, 'Cloudflare'], // Cloudflare, Inc.
  [395747, 'Cloudflare'], // Cloudflare, Inc.
  [400095, 'Cloudflare'], // Cloudflare, Inc.
  [13335, 'Cloudflare (WARP, Private Relay)'], // Cloudflare, Inc.
  [34202, 'Clouvider'], // Clouvider Limited
  [62240, 'Clouvider'], // Clouvider Limited
  [207158, 'Clouvider'], // Clouvider Limited
  [40065, 'CNSERVERS'], // CNSERVERS LLC
  [8001, 'Cologix'], // Cologix, Inc
  [34762, 'Combell (team.blue)'], // Combell NV
  [40021, 'Contabo'], // Contabo Inc.
  [51167, 'Contabo'], // Contabo GmbH
  [141995, 'Contabo'], // Contabo Asia Private Limited
  [5517, 'CSL Computer Service Langenbach (hosting)'], // CSL Computer Service Langenbach GmbH
  [29522, 'cyber_Folks'], // Cyber_Folks S.A.
  [209854, 'Cyberzone (Surfshark VPN)'], // Cyberzone S.A.
  [25151, 'Cyso'], // Cyso Group B.V.
  [44716, 'D-hosting'], // D-hosting die Rackspace & Connectivity GmbH
  [13767, 'DataBank'], // DataBank Holdings, Ltd.
  [211612, 'Datacamp'], // Datacamp Limited
  [60068, 'Datacamp (CDN77)'], // Datacamp Limited
  [212238, 'Datacamp (CDN77)'], // Datacamp Limited
  [14492, 'Datapipe'], // DataPipe, Inc.
  [16805, 'Datapipe'], // DataPipe, Inc.
  [22205, 'Datapipe'], // DataPipe, Inc.
  [22576, 'Datapipe'], // DataPipe, Inc.
  [35332, 'DataWeb'], // DataWeb B.V.
  [39572, 'DataWeb'], // DataWeb Global Group B.V.
  [198678, 'Delos Cloud'], // Delos Cloud GmbH
  [14061, 'DigitalOcean'], // DigitalOcean, LLC
  [46652, 'DigitalOcean'], // DigitalOcean, LLC
  [393406, 'DigitalOcean'], // DigitalOcean, LLC
  [134175, 'DingFeng XinHui'], // DingFeng XinHui(HongKong) Technology Limited
  [134548, 'DingFeng XinHui'], // DingFeng XinHui(HongKong) Technology Limited
  [8648, 'dogado'], // dogado GmbH
  [26347, 'DreamHost'], // New Dream Network, LLC
  [15133, 'Edgecast'], // Edgecast Inc.
  [22822, 'Edgio (Limelight)'], // Limelight Networks, Inc.
  [55429, 'Edgio (Limelight)'], // Limelight Networks India
  [18779, 'EGIHosting'], // EGIHosting
  [62904, 'Eonix'], // Eonix Corporation
  [15830, 'Equinix'], // Equinix (EMEA) Acquisition Enterprises B.V.
  [22552, 'eSited'], // eSited Solutions
  [25459, 'Eurofiber Cloud Infra'], // Eurofiber Cloud Infra B.V.
  [62353, 'Eurofiber Cloud Infra'], // Eurofiber Cloud Infra B.V.
  [198692, 'Eurofiber Cloud Infra'], // Eurofiber Cloud Infra B.V.
  [205185, 'Eurofiber Cloud Infra'], // Eurofiber Cloud Infra B.V.
  [17054, 'Expedient'], // Expedient
  [54113, 'Fastly (incl. iCloud Private Relay)'], // Fastly, Inc.
  [30058, 'FDCservers'], // FDCservers.net
  [37518, 'Fiber Grid (proxy/VPN space)'], // Fiber Grid INC
  [44066, 'firstcolo'], // firstcolo GmbH
  [13649, 'Flexential'], // Flexential Colorado Corp.
  [53667, 'FranTech (BuyVM)'], // FranTech Solutions
  [20559, 'Fundaments'], // Fundaments B.V.
  [199524, 'G-Core Labs'], // G-Core Labs S.A.
  [202422, 'G-Core Labs'], // G-Core Labs S.A.
  [12586, 'GHOSTnet'], // GHOSTnet GmbH
  [42708, 'GleSYS'], // GleSYS AB
  [49453, 'Global Layer'], // Global Layer B.V.
  [7506, 'GMO Internet'], // GMO Internet Group, Inc.
  [26496, 'GoDaddy'], // GoDaddy.com, LLC
  [397513, 'GoDaddy'], // GoDaddy.com, LLC
  [397514, 'GoDaddy'], // GoDaddy.com, LLC
  [397516, 'GoDaddy'], // GoDaddy.com, LLC
  [397518, 'GoDaddy'], // GoDaddy.com, LLC
  [397519, 'GoDaddy'], // GoDaddy.com, LLC
  [397520, 'GoDaddy'], // GoDaddy.com, LLC
  [397521, 'GoDaddy'], // GoDaddy.com, LLC
  [397522, 'GoDaddy'], // GoDaddy.com, LLC
  [398101, 'GoDaddy'], // GoDaddy.com, LLC
  [398103, 'GoDaddy'], // GoDaddy.com, LLC
  [398104, 'GoDaddy'], // GoDaddy.com, LLC
  [398105, 'GoDaddy'], // GoDaddy.com, LLC
  [398106, 'GoDaddy'], // GoDaddy.com, LLC
  [398107, 'GoDaddy'], // GoDaddy.com, LLC
  [398109, 'GoDaddy'], // GoDaddy.com, LLC
  [398787, 'GoDaddy'], // GoDaddy.com, LLC
  [398788, 'GoDaddy'], // GoDaddy.com, LLC
  [398791, 'GoDaddy'], // GoDaddy.com, LLC
  [400754, 'GoDaddy'], // GoDaddy.com, LLC
  [15169, 'Google'], // Google LLC
  [19527, 'Google'], // Google LLC
  [36383, 'Google'], // Google LLC
  [36384, 'Google'], // Google LLC
  [36411, 'Google'], // Google LLC
  [36492, 'Google'], // Google, LLC
  [41264, 'Google'], // Google Switzerland GmbH
  [139190, 'Google'], // Google Asia Pacific Pte. Ltd.
  [394089, 'Google'], // Google LLC
  [396178, 'Google'], // Google LLC
  [36040, 'Google (YouTube)'], // Google LLC
  [43515, 'Google (YouTube)'], // Google Ireland Limited
  [33715, 'Google Cloud'], // Google LLC
  [214609, 'Google Cloud'], // Google Cloud EMEA Ltd
  [214611, 'Google Cloud'], // Google Cloud EMEA Ltd
  [394507, 'Google Cloud'], // Google LLC
  [394639, 'Google Cloud'], // Google LLC
  [395973, 'Google Cloud'], // Google LLC
  [396982, 'Google Cloud'], // Google LLC
  [47172, 'Greenhost'], // Greenhost BV
  [24940, 'Hetzner'], // Hetzner Online GmbH
  [212317, 'Hetzner'], // Hetzner Online GmbH
  [213230, 'Hetzner'], // Hetzner Online GmbH
  [215859, 'Hetzner'], // Hetzner Online GmbH
  [29802, 'Hivelocity'], // HIVELOCITY, Inc.
  [20773, 'Host Europe'], // Host Europe GmbH
  [21499, 'Host Europe'], // Host Europe GmbH
  [21501, 'Host Europe'], // Host Europe GmbH
  [34011, 'Host Europe'], // Host Europe GmbH
  [34088, 'Host Europe'], // Host Europe GmbH
  [34440, 'Host Europe'], // Host Europe GmbH
  [44273, 'Host Europe'], // Host Europe GmbH
  [60253, 'Host Europe'], // Host Europe GmbH
  [62087, 'Host Europe'], // Host Europe GmbH
  [8972, 'Host Europe (GoDaddy)'], // Host Europe GmbH
  [47583, 'Hostinger'], // Hostinger International Limited
  [204915, 'Hostinger'], // Hostinger International Limited
  [57043, 'HOSTKEY'], // HOSTKEY B.V.
  [197902, 'Hostnet'], // Hostnet B.V.
  [54290, 'HostPapa'], // HostPapa
  [36352, 'HostPapa (ColoCrossing)'], // HostPapa
  [203020, 'HostRoyale'], // HostRoyale Technologies Pvt Ltd
  [207990, 'HostRoyale'], // HostRoyale Technologies Pvt Ltd
  [55990, 'Huawei Cloud'], // Huawei Cloud Service data center
  [136907, 'Huawei Cloud'], // HUAWEI INTERNATIONAL PTE. LTD.
  [49544, 'i3D.net (game/server hosting)'], // i3D.net B.V
  [36351, 'IBM Cloud (SoftLayer)'], // IBM Cloud
  [4694, 'IDC Frontier'], // IDC Frontier Inc.
  [19551, 'Imperva (Incapsula)'], // Incapsula Inc
  [10912, 'INAP'], // Internap Holding LLC
  [10913, 'INAP'], // Internap Holding LLC
  [11855, 'INAP'], // Internap Holding LLC
  [12178, 'INAP'], // Internap Holding LLC
  [12179, 'INAP'], // Internap Holding LLC
  [12180, 'INAP'], // Internap Holding LLC
  [12182, 'INAP'], // Internap Holding LLC
  [13789, 'INAP'], // Internap Holding LLC
  [13791, 'INAP'], // Internap Holding LLC
  [14742, 'INAP'], // Internap Holding LLC
  [14743, 'INAP'], // Internap Holding LLC
  [14744, 'INAP'], // Internap Holding LLC
  [14745, 'INAP'], // Internap Holding LLC
  [32475, 'INAP'], // Internap Holding LLC
  [29222, 'Infomaniak'], // Infomaniak Network SA
  [24586, 'Intermax'], // Intermax Group B.V.
  [19318, 'InterServer'], // Interserver, Inc
  [20860, 'iomart'], // IOMART CLOUD SERVICES LIMITED
  [8560, 'IONOS'], // IONOS SE
  [834, 'IPXO (leased IP space)'], // IPXO LLC
  [44559, 'IT Hostline'], // IT HOSTLINE LTD
  [25820, 'IT7 Networks'], // IT7 Networks Inc
  [138915, 'Kaopu Cloud'], // Kaopu Cloud HK Limited
  [9597, 'KDDI Web Communications'], // KDDI Web Communications Inc.
  [59019, 'Kingsoft Cloud'], // Beijing Kingsoft Cloud Internet Technology Co., Ltd
  [9286, 'KINX'], // KINX
  [35908, 'Krypt'], // Krypt Technologies
  [17561, 'Larus (proxy/hosting space)'], // Larus Limited
  [396356, 'Latitude.sh'], // Latitude.sh
  [16265, 'Leaseweb'], // LeaseWeb Network B.V.
  [38930, 'Leaseweb'], // LeaseWeb Network B.V.
  [32613, 'Leaseweb CA'], // Leaseweb Canada Inc.
  [28753, 'Leaseweb DE'], // Leaseweb Deutschland GmbH
  [60781, 'Leaseweb NL'], // LeaseWeb Netherlands B.V.
  [59253, 'Leaseweb SG'], // LEASEWEB SINGAPORE PTE. LTD.
  [205544, 'Leaseweb UK'], // LEASEWEB UK LIMITED
  [7203, 'Leaseweb US'], // Leaseweb USA, Inc.
  [19148, 'Leaseweb US'], // Leaseweb USA, Inc.
  [27411, 'Leaseweb US'], // Leaseweb USA, Inc.
  [30633, 'Leaseweb US'], // Leaseweb USA, Inc.
  [393886, 'Leaseweb US'], // Leaseweb USA, Inc.
  [394380, 'Leaseweb US'], // Leaseweb USA, Inc.
  [395954, 'Leaseweb US'], // Leaseweb USA, Inc.
  [396190, 'Leaseweb US'], // Leaseweb USA, Inc.
  [396362, 'Leaseweb US'], // Leaseweb USA, Inc.
  [13189, 'Liden Data'], // Liden Data Internetwork AB
  [11320, 'LightEdge'], // LightEdge Solutions
  [32244, 'Liquid Web'], // Liquid Web, L.L.C
  [27715, 'Locaweb'], // Locaweb Servicos de Internet S/A
  [9009, 'M247'], // M247 Europe SRL
  [16247, 'M247'], // M247 UK Ltd
  [42973, 'M247'], // M247 UK Ltd
  [21245, 'Medianova CDN'], // MEDIANOVA INTERNET HIZMETLERI VE TICARET ANONIM SIRKETI
  [32934, 'Meta (Facebook)'], // Facebook, Inc.
  [54115, 'Meta (Facebook)'], // Facebook Inc
  [63293, 'Meta (Facebook)'], // Facebook, Inc.
  [3598, 'Microsoft'], // Microsoft Corporation
  [5761, 'Microsoft'], // Microsoft Corporation
  [8068, 'Microsoft'], // Microsoft Corporation
  [8069, 'Microsoft'], // Microsoft Corporation
  [8070, 'Microsoft'], // Microsoft Corporation
  [8071, 'Microsoft'], // Microsoft Corporation
  [12076, 'Microsoft'], // Microsoft Corporation
  [35106, 'Microsoft'], // Microsoft Limited
  [8075, 'Microsoft (Azure + corporate)'], // Microsoft Corporation
  [200517, 'Microsoft DE'], // Microsoft Deutschland MCIO GmbH
  [39351, 'Mullvad (31173 Services)'], // 31173 Services AB
  [35916, 'Multacom'], // MULTACOM CORPORATION
  [197540, 'netcup'], // netcup GmbH
  [40027, 'Netflix'], // Netflix Streaming Services Inc.
  [2906, 'Netflix (Open Connect)'], // Netflix Streaming Services Inc.
  [55256, 'Netskope (security proxy)'], // Netskope Inc
  [19871, 'Network Solutions (Web.com)'], // Network Solutions, LLC
  [43350, 'NForce'], // NForce Entertainment B.V.
  [31727, 'Node4'], // Node4 Limited
  [12337, 'noris network'], // noris network AG
  [15598, 'NorthC'], // NorthC Deutschland GmbH
  [20021, 'Ntirety'], // Ntirety, Inc.
  [203329, 'NTT Global Data Centers'], // NTT Global Data Centers EMEA GmbH
  [398781, 'Oculus Networks'], // OCULUS NETWORKS INC
  [51468, 'One.com'], // One.com A/S
  [6142, 'Oracle'], // Oracle Corporation
  [20054, 'Oracle'], // Oracle Corporation
  [46558, 'Oracle'], // Oracle Corporation
  [54253, 'Oracle'], // Oracle Corporation
  [64102, 'Oracle'], // Oracle Corporation
  [33517, 'Oracle (Dyn)'], // Oracle Corporation
  [1215, 'Oracle Cloud'], // Oracle Corporation
  [1218, 'Oracle Cloud'], // Oracle Corporation
  [1219, 'Oracle Cloud'], // Oracle Corporation
  [11049, 'Oracle Cloud'], // Oracle Corporation
  [11506, 'Oracle Cloud'], // Oracle Corporation
  [14544, 'Oracle Cloud'], // Oracle Corporation
  [15135, 'Oracle Cloud'], // Oracle Corporation
  [20037, 'Oracle Cloud'], // Oracle Corporation
  [24185, 'Oracle Cloud'], // Oracle Corporation
  [31898, 'Oracle Cloud'], // Oracle Corporation
  [50624, 'Outscale (3DS)'], // Outscale SASU
  [16276, 'OVHcloud'], // OVH SAS
  [35540, 'OVHcloud'], // OVH SAS
  [141039, 'PacketHub'], // PacketHub S.A.
  [147049, 'PacketHub'], // PacketHub S.A.
  [136787, 'PacketHub (NordVPN)'], // PacketHub S.A.
  [207137, 'PacketHub (NordVPN)'], // PacketHub S.A.
  [272096, 'PacketHub (NordVPN)'], // PACKETHUB S.A.
  [54600, 'PEG TECH'], // PEG TECH INC
  [398823, 'PEG TECH'], // PEG TECH INC
  [46562, 'Performive'], // Performive LLC
  [61157, 'PlusServer'], // PlusServer GmbH
  [132839, 'Power Line HK'], // POWER LINE (HK) CO., LIMITED
  [20847, 'Previder'], // Previder B.V.
  [62371, 'Proton (VPN)'], // Proton AG
  [208172, 'Proton (VPN)'], // Proton AG
  [40676, 'Psychz'], // Psychz Networks
  [12703, 'Pulsant'], // Pulsant (Scotland) Ltd
  [8100, 'QuadraNet'], // QuadraNet Enterprises LLC
  [46261, 'QuickPacket'], // QuickPacket, LLC
  [12200, 'Rackspace'], // Rackspace Hosting
  [15395, 'Rackspace'], // Rackspace Ltd.
  [19994, 'Rackspace'], // Rackspace Hosting
  [24867, 'Rackspace'], // Rackspace Ltd.
  [27357, 'Rackspace'], // Rackspace Hosting
  [33070, 'Rackspace'], // Rackspace Hosting
  [39921, 'Rackspace'], // Rackspace Ltd.
  [44009, 'Rackspace'], // Rackspace Ltd.
  [198220, 'Rackspace'], // Rackspace Ltd.
  [5552, 'Redcentric'], // Redcentric Solutions Ltd
  [8419, 'Redcentric'], // Redcentric Solutions Ltd
  [13009, 'Redcentric'], // Redcentric Solutions Ltd
  [15533, 'Redcentric'], // Redcentric Solutions Ltd
  [30914, 'Redcentric'], // Redcentric Solutions Ltd
  [31463, 'Redcentric'], // Redcentric Solutions Ltd
  [212477, 'RoyaleHosting'], // RoyaleHosting BV
  [7684, 'Sakura Internet'], // SAKURA Internet Inc.
  [9370, 'Sakura Internet'], // SAKURA Internet Inc.
  [9371, 'Sakura Internet'], // SAKURA Internet Inc.
  [58061, 'Scalaxy'], // Scalaxy B.V.
  [12876, 'Scaleway'], // Scaleway SAS
  [202023, 'Scaleway'], // SCALEWAY S.A.S.
  [29447, 'Scaleway (Iliad)'], // SCALEWAY S.A.S.
  [49505, 'Selectel'], // JSC Selectel
  [50340, 'Selectel'], // JSC Selectel
  [50673, 'Serverius'], // Serverius Holding B.V.
  [55286, 'ServerMania (B2 Net)'], // B2 Net Solutions Inc.
  [7979, 'Servers.com'], // Servers.com, Inc.
  [46844, 'Sharktech'], // Sharktech
  [5524, 'Signet'], // Signet B.V.
  [35470, 'Signet'], // Signet B.V.
  [39700, 'Signet'], // Signet B.V.
  [20857, 'Signet (team.blue NL)'], // Signet B.V.
  [28878, 'Signet (team.blue NL)'], // Signet B.V.
  [31586, 'Signet (team.blue NL)'], // Signet B.V.
  [6908, 'Six Degrees'], // Six Degrees Technology Group Limited
  [60228, 'Six Degrees'], // Six Degrees Technology Group Limited
  [5539, 'SpaceNet'], // SpaceNet AG
  [6724, 'Strato'], // Strato AG
  [30148, 'Sucuri'], // Sucuri
  [6878, 'T-Systems (IT outsourcing/data centres)'], // T-Systems International GmbH
  [29550, 'team.blue'], // Team Blue Carrier Limited
  [34282, 'team.blue'], // Team Blue Carrier Limited
  [8622, 'team.blue UK'], // TEAM BLUE INTERNET SERVICES UK LIMITED
  [132591, 'Tencent'], // Tencent AS num for global network
  [45090, 'Tencent Cloud'], // Shenzhen Tencent Computer Systems Company Limited
  [132203, 'Tencent Cloud'], // Shenzhen Tencent Computer Systems Company Limited
  [133478, 'Tencent Cloud'], // Tencent Cloud Computing (Beijing) Co., Ltd
  [20326, 'TeraSwitch'], // TeraSwitch Networks Inc.
  [397423, 'Tier.Net'], // Tier.Net Technologies LLC
  [17378, 'TierPoint'], // TierPoint, LLC
  [5619, 'TietoEvry (IT outsourcing/data centres)'], // TIETOEVRY NORWAY AS
  [196752, 'Tilaa'], // Tilaa B.V.
  [9123, 'Timeweb'], // JSC "TIMEWEB"
  [15703, 'TrueFullstaq (True)'], // TrueFullstaq B.V.
  [13414, 'Twitter/X'], // Twitter Inc.
  [11878, 'tzulo'], // tzulo, inc.
  [59077, 'UCloud'], // Shanghai UCloud Information Technology Company Limited
  [135377, 'UCloud'], // UCLOUD INFORMATION TECHNOLOGY (HK) LIMITED
  [13213, 'UK-2'], // UK-2 Limited
  [46606, 'Unified Layer (Bluehost)'], // Unified Layer
  [31673, 'Uniserver'], // Uniserver Internet B.V.
  [25697, 'UpCloud'], // UpCloud USA Inc
  [202053, 'UpCloud'], // UpCloud Ltd
  [15879, 'Vancis'], // Vancis IP B.V.
  [29066, 'velia.net'], // velia.net Internetdienste GmbH
  [137718, 'Volcano Engine (ByteDance)'], // Beijing Volcano Engine Technology Co., Ltd.
  [3223, 'Voxility'], // Voxility LLP
  [20473, 'Vultr (Choopa / The Constant Company)'], // The Constant Company, LLC
  [35415, 'Webzilla'], // Webzilla B.V.
  [24961, 'WIIT'], // WIIT AG
  [209847, 'WorkTitans'], // WorkTitans B.V.
  [8315, 'WorldStream'], // WorldStream B.V.
  [49981, 'WorldStream'], // WorldStream B.V.
  [3214, 'xTom'], // xTom GmbH
  [3258, 'xTom'], // xTom Japan Corporation
  [35536, 'xTom'], // xTom GmbH
  [35537, 'xTom'], // xTom GmbH
  [39220, 'xTom'], // xTom GmbH
  [41767, 'xTom'], // xTom GmbH
  [43959, 'xTom'], // xTom GmbH
  [43992, 'xTom'], // xTom GmbH
  [57969, 'xTom'], // xTom GmbH
  [205758, 'xTom'], // xTom GmbH
  [208982, 'xTom'], // xTom GmbH
  [13238, 'Yandex'], // YANDEX LLC
  [200350, 'Yandex Cloud'], // Yandex.Cloud LLC
  [48635, 'Your Hosting'], // Your Hosting B.V.
  [21859, 'Zenlayer'], // Zenlayer Inc
  [204601, 'Zomro'], // Zomro B.V.
  [22616, 'Zscaler'], // ZSCALER, INC.
  [53813, 'Zscaler'], // ZSCALER, INC.
  [62044, 'Zscaler'], // Zscaler Switzerland GmbH
  [62907, 'Zscaler'], // ZSCALER, INC.
])

/** Research & education networks carrying many institutions (108 ASes). */
export const EDUCATION_NETWORK_ASNS: ReadonlyMap<number, string> = new Map<number, string>([
  [7575, 'AARNet'], // Australian Academic and Research Network
  [23859, 'AARNet'], // Australian Academic and Research Network
  [1853, 'ACOnet'], // ACONET
  [3464, 'Alabama Supercomputer Authority (AREN)'], // Alabama Supercomputer Authority
  [2107, 'ARNES'], // ARNES
  [271, 'BCNET'], // BCnet
  [2611, 'Belnet'], // BELNET
  [198559, 'Belnet'], // BELNET
  [2108, 'CARNET'], // Croatian Academic and Research Network
  [2152, 'CENIC'], // CENIC
  [4538, 'CERNET'], // China Education and Research Network Center
  [2852, 'CESNET'], // CESNET z.s.p.o.
  [7497, 'CNIC-CAS'], // CNIC-CAS
  [13041, 'CSUC (Anella Cientifica)'], // Consorci de Serveis Universitaris de Catalunya
  [680, 'DFN'], // Verein zur Foerderung eines Deutschen Forschungsnetzes e.V.
  [291, 'ESnet'], // ESnet
  [292, 'ESnet'], // ESnet
  [293, 'ESnet'], // ESnet
  [3428, 'ESnet'], // ESnet
  [1930, 'FCCN (RCTS)'], // Fundacao para a Ciencia e a Tecnologia, I.P.
  [1741, 'Funet (CSC)'], // CSC - Tieteen tietotekniikan keskus Oy
  [137, 'GARR'], // Consortium GARR
  [20965, 'GEANT'], // GEANT Vereniging
  [5408, 'GRNET'], // National Infrastructures for Research and Technology S.A.
  [1213, 'HEAnet'], // HEAnet CLG
  [6325, 'Illinois Century Network'], // Illinois Century Network
  [11164, 'Internet2'], // Internet2
  [11537, 'Internet2'], // Internet2
  [62775, 'Internet2'], // Internet2
  [396955, 'Internet2'], // Internet2
  [396961, 'Internet2'], // Internet2
  [6122, 'Iowa Communications Network (schools, libraries, state)'], // Iowa Communications Network
  [378, 'IUCC'], // IUCC - Israel InterUniversity Computation Center
  [133084, 'Jisc'], // Jisc Services Limited
  [786, 'Jisc (JANET)'], // Jisc Services Limited
  [36914, 'KENET'], // Kenya Education Network
  [1955, 'KIFU (HU NREN)'], // KIFU (Governmental Info Tech Development Agency)
  [1237, 'KISTI (KREONET)'], // KISTI
  [226, 'Los Nettos'], // Los Nettos
  [12816, 'LRZ (Munich universities)'], // Leibniz-Rechenzentrum
  [81, 'MCNC'], // MCNC
  [237, 'Merit'], // Merit Network Inc.
  [2572, 'MOREnet'], // University of Missouri - dba the Missouri Research and Education Network (MOREn
  [8308, 'NASK / PIONIER'], // NAUKOWA I AKADEMICKA SIEC KOMPUTEROWA - PANSTWOWY INSTYTUT BADAWCZY
  [611, 'NB-PEI Educational Computer Network'], // NB-PEI Educational Computer Network
  [11714, 'Network Nebraska'], // Network Nebraska
  [2603, 'NORDUnet'], // NORDUnet
  [600, 'OARnet'], // OARnet
  [766, 'RedIRIS'], // Entidad Publica Empresarial Red.es
  [775, 'RENATER'], // Renater
  [776, 'RENATER'], // Renater
  [789, 'RENATER'], // Renater
  [1303, 'RENATER'], // Renater
  [1307, 'RENATER'], // Renater
  [1712, 'RENATER'], // Renater
  [1715, 'RENATER'], // Renater
  [1724, 'RENATER'], // Renater
  [1935, 'RENATER'], // Renater
  [1938, 'RENATER'], // Renater
  [1942, 'RENATER'], // Renater
  [1945, 'RENATER'], // Renater
  [2060, 'RENATER'], // Renater
  [2072, 'RENATER'], // Renater
  [2088, 'RENATER'], // Renater
  [2094, 'RENATER'], // Renater
  [2103, 'RENATER'], // Renater
  [2198, 'RENATER'], // Renater
  [2199, 'RENATER'], // Renater
  [2200, 'RENATER'], // Renater
  [2202, 'RENATER'], // Renater
  [2259, 'RENATER'], // Renater
  [2263, 'RENATER'], // Renater
  [2269, 'RENATER'], // Renater
  [2426, 'RENATER'], // Renater
  [2439, 'RENATER'], // Renater
  [2450, 'RENATER'], // Renater
  [2457, 'RENATER'], // Renater
  [2470, 'RENATER'], // Renater
  [2471, 'RENATER'], // Renater
  [2472, 'RENATER'], // Renater
  [2480, 'RENATER'], // Renater
  [3256, 'RENATER'], // Renater
  [376, 'RISQ'], // Reseau d'Informations Scientifiques du Quebec (RISQ Inc.)
  [1916, 'RNP'], // Rede Nacional de Ensino e Pesquisa
  [2614, 'RoEduNet'], // Agentia de Administrare a Retelei Nationale de Informatica pentru Educatie si C
  [2607, 'SANET'], // Zdruzenie pouzivatelov Slovenskej akademickej datovej siete
  [224, 'Sikt (Uninett)'], // SIKT - KUNNSKAPSSEKTORENS TJENESTELEVERANDOR
  [2907, 'SINET'], // Research Organization of Information and Systems, National Institute of Informa
  [1653, 'SUNET'], // Vetenskapsradet / SUNET
  [1101, 'SURF'], // SURF B.V.
  [1102, 'SURF'], // SURF B.V.
  [1103, 'SURF'], // SURF B.V.
  [1128, 'SURF'], // SURF B.V.
  [1132, 'SURF'], // SURF B.V.
  [1133, 'SURF'], // SURF B.V.
  [1145, 'SURF'], // SURF B.V.
  [1147, 'SURF'], // SURF B.V.
  [1149, 'SURF'], // SURF B.V.
  [1152, 'SURF'], // SURF B.V.
  [1161, 'SURF'], // SURF B.V.
  [1199, 'SURF'], // SURF B.V.
  [559, 'SWITCH'], // SWITCH
  [1659, 'TANet'], // Taiwan Academic Network (TANet) Information Center
  [2018, 'TENET'], // TENET (The UNINET Project)
  [8517, 'ULAKBIM'], // National Academic Network and Information Center
  [210, 'Utah Education Network'], // Utah Education Network
  [10430, 'Washington K-20'], // Washington State K-20 Telecommunications Network
  [2381, 'WiscNet'], // WiscNet
])

/** Registrable domains of ISPs' subscriber reverse-DNS names. */
export const CONSUMER_PTR_DOMAINS: ReadonlySet<string> = new Set<string>([
  // seen as subscriber host names in public mail headers
  'kpn.net',
  'xs4all.nl',
  'ziggo.nl',
  'chello.nl',
  'caiway.nl',
  'solcon.nl',
  'telenet.be',
  'skynet.be',
  'scarlet.be',
  'brutele.be',
  't-ipconnect.de',
  'vodafone-ip.de',
  'arcor-ip.net',
  'kabel-deutschland.de',
  'versanet.de',
  'telefonica.de',
  'netcologne.de',
  'm-online.net',
  'btcentralplus.com',
  'virginm.net',
  'sky.com',
  'as13285.net',
  'plus.com',
  'threembb.co.uk',
  'eircom.net',
  'proxad.net',
  'wanadoo.fr',
  'sfr.net',
  'numericable.fr',
  'bbox.fr',
  'rima-tde.net',
  'telecomitalia.it',
  'fastwebnet.it',
  'tmodns.net',
  'rr.com',
  // long-standing subscriber naming conventions
  'unitymediagroup.de',
  'ewe-ip-backbone.de',
  'blueyonder.co.uk',
  'tiscali.co.uk',
  'opaltelecom.net',
  'club-internet.fr',
  'ono.com',
  'vodafonedsl.it',
  'hispeed.ch',
  'chello.at',
  'telekom.at',
  'tpnet.pl',
  'comhem.se',
  'bredband2.com',
  'getinternet.no',
  'tele.dk',
  'dnainternet.net',
  'elisa-laajakaista.fi',
  'netcabo.pt',
  'telepac.pt',
  'otenet.gr',
  'rdsnet.ro',
  'comcast.net',
  'verizon.net',
  'myvzw.com',
  'charter.com',
  'cox.net',
  'sbcglobal.net',
  'bellsouth.net',
  'mycingular.net',
  'spcsdns.net',
  'optonline.net',
  'qwest.net',
  'frontiernet.net',
  'windstream.net',
  'suddenlink.net',
  'mediacomcc.net',
  'rogers.com',
  'shawcable.net',
  'sympatico.ca',
  'videotron.ca',
  'telus.net',
  'ocn.ne.jp',
  'bbtec.net',
  'plala.or.jp',
  'dion.ne.jp',
  'bigpond.net.au',
  'tpgi.com.au',
  'iinet.net.au',
  'optusnet.com.au',
  'virtua.com.br',
])
