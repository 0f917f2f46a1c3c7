"""The project's vocabulary as checked Python namespaces: a misspelt term fails at import.

`tests/test_vocab.py` keeps this list equal to the terms defined in `ontology/policy.ttl`.
"""

from __future__ import annotations

from rdflib import Namespace, URIRef
from rdflib.namespace import DefinedNamespace

from kg.bases import ONT_IRI

OA = Namespace("http://www.w3.org/ns/oa#")
WD = Namespace("http://www.wikidata.org/entity/")


class PKG(DefinedNamespace):
    _NS = Namespace(ONT_IRI)
    _fail = True

    # classes
    Action: URIRef
    Assertion: URIRef
    Agreement: URIRef
    Airport: URIRef
    AreaCompound: URIRef
    BorderEconomicCooperationZone: URIRef
    BorderOpeningPilotZone: URIRef
    BorderTradeZone: URIRef
    City: URIRef
    CityCluster: URIRef
    ComprehensiveBondedZone: URIRef
    ComprehensiveNationalScienceCenter: URIRef
    Corridor: URIRef
    Country: URIRef
    County: URIRef
    CrossBorderEcommerceZone: URIRef
    CrossBorderEconomicCooperationZone: URIRef
    DevelopmentAxis: URIRef
    DevelopmentZone: URIRef
    Document: URIRef
    DocumentType: URIRef
    EconomicBelt: URIRef
    EconomicCorridor: URIRef
    EconomicTechDevelopmentZone: URIRef
    Entity: URIRef
    FreeTradePort: URIRef
    FreeTradeZone: URIRef
    FreightTrainService: URIRef
    HighTechZone: URIRef
    Highway: URIRef
    IndustrialTransferDemonstrationZone: URIRef
    Industry: URIRef
    Link: URIRef
    LandSeaCorridor: URIRef
    LargeScienceFacility: URIRef
    MacroRegion: URIRef
    Mention: URIRef
    MetropolitanArea: URIRef
    NationalKeyLaboratory: URIRef
    NationalNewArea: URIRef
    NationalRegionalMedicalCenter: URIRef
    NumericClaim: URIRef
    Organization: URIRef
    Place: URIRef
    PlanPeriod: URIRef
    Platform: URIRef
    PolicyRecommendation: URIRef
    Port: URIRef
    Province: URIRef
    ProvincialSubRegion: URIRef
    Railway: URIRef
    RegionalStatisticsStructure: URIRef
    SciTechInnovationCenter: URIRef
    ScienceCity: URIRef
    SpecialCustomsSupervisionArea: URIRef
    StrategicRegion: URIRef
    Strategy: URIRef
    SumClaim: URIRef
    Town: URIRef
    Waterway: URIRef
    WorldRegion: URIRef
    # properties
    abbreviation: URIRef
    about: URIRef
    actionObject: URIRef
    adcode: URIRef
    alternative: URIRef
    builtOn: URIRef
    checkedAgainst: URIRef
    claimKind: URIRef
    clusterTier: URIRef
    comparedArea: URIRef
    comparedWith: URIRef
    componentOf: URIRef
    computedValue: URIRef
    confidence: URIRef
    connects: URIRef
    contradicts: URIRef
    cooperatesWith: URIRef
    documentNumber: URIRef
    endYear: URIRef
    establishedYear: URIRef
    hasAction: URIRef
    hasMember: URIRef
    hosts: URIRef
    indicator: URIRef
    isoCode: URIRef
    issuedBy: URIRef
    level: URIRef
    listedWith: URIRef
    locatedIn: URIRef
    matchedBy: URIRef
    matchedValue: URIRef
    memberOf: URIRef
    mentions: URIRef
    observationStatus: URIRef
    openWorld: URIRef
    parent: URIRef
    planPeriod: URIRef
    qualifier: URIRef
    reader: URIRef
    partOf: URIRef
    refArea: URIRef
    refYear: URIRef
    rule: URIRef
    sectionNumber: URIRef
    sourceSha256: URIRef
    startYear: URIRef
    statedIndicator: URIRef
    statedValue: URIRef
    strength: URIRef
    surfaceType: URIRef
    targets: URIRef
    textSha256: URIRef
    unit: URIRef
    value: URIRef
    verdict: URIRef
    verb: URIRef
    year: URIRef


# rdflib's DefinedNamespace makes a new URIRef at each attribute read, through its metaclass's
# __getattr__ and a check of the name (1.3 µs): a build reads PKG's terms about 100,000 times for
# the 27 reports. Set on the class, each is read as any attribute; the same IRIs, and a misspelt
# term still fails (it is not on the class, so the metaclass is asked).
for _term in PKG.__annotations__:
    type.__setattr__(PKG, _term, PKG[_term])
