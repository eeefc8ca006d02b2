export const id = 161;
export const ids = [161];
export const modules = {

/***/ 542:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   renderPrComment: () => (/* binding */ renderPrComment)
/* harmony export */ });
/* unused harmony export COMMENT_MAX_BYTES */
/* harmony import */ var _budget_js__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(7619);
/* harmony import */ var _markdown_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(7987);
/* harmony import */ var _sections_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(970);
/* harmony import */ var _verdict_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(9457);




/**
 * GitHub refuses a comment over 65,536 characters. Bytes are never fewer than UTF-16 characters, so a
 * byte budget under that keeps the comment under it, with room for the marker `postPrComment` adds.
 */
const COMMENT_MAX_BYTES = 60_000;
/**
 * The PR comment: the summary condensed to what a reviewer acts on (verdict, stages, the base images
 * that need a change, the vulnerability counts and the top few findings, the verify command), with a
 * link to the job summary for the rest. Pure, like the summary.
 */
function renderPrComment(input) {
    const limits = (0,_sections_js__WEBPACK_IMPORTED_MODULE_0__/* .limitsOf */ .Af)(input, { findings: 5, ignored: 0, baseImages: 20, notices: 0 });
    const verdict = (0,_verdict_js__WEBPACK_IMPORTED_MODULE_1__/* .verdictOf */ .Vj)(input);
    const scan = input.scan;
    const problems = (input.baseImages ?? []).filter(_sections_js__WEBPACK_IMPORTED_MODULE_0__/* .isProblem */ .AN);
    const blocks = (0,_sections_js__WEBPACK_IMPORTED_MODULE_0__/* .compact */ .oE)([
        (0,_sections_js__WEBPACK_IMPORTED_MODULE_0__/* .headline */ .Pl)(input, verdict, '###', 15),
        (0,_sections_js__WEBPACK_IMPORTED_MODULE_0__/* .stageTable */ .JB)(input.report),
        (0,_sections_js__WEBPACK_IMPORTED_MODULE_0__/* .baseImagesBlock */ .nC)(input, {
            heading: `#### ${problems.length === 1 ? 'A base image needs' : `${(0,_markdown_js__WEBPACK_IMPORTED_MODULE_2__/* .plural */ .LS)(problems.length, 'base image')} need`} attention`,
            onlyProblems: true,
            limit: limits.baseImages,
        }),
        scan ? (0,_sections_js__WEBPACK_IMPORTED_MODULE_0__/* .vulnerabilitiesIntro */ .bV)(scan, '#### Vulnerabilities') : undefined,
        scan ? (0,_sections_js__WEBPACK_IMPORTED_MODULE_0__/* .severityTable */ .ql)(scan) : undefined,
        scan ? (0,_sections_js__WEBPACK_IMPORTED_MODULE_0__/* .findingsBlock */ .k5)(scan, { heading: '**Top findings**', limit: limits.findings }) : undefined,
        input.sign ? (0,_sections_js__WEBPACK_IMPORTED_MODULE_0__/* .verifyBlock */ .Zw)(input.sign, '#### Verify it yourself', false) : undefined,
        (0,_sections_js__WEBPACK_IMPORTED_MODULE_0__/* .footer */ .qr)(input, "the run's job summary has the full report"),
    ]);
    return (0,_budget_js__WEBPACK_IMPORTED_MODULE_3__/* .renderWithin */ .A)(blocks, input.maxBytes ?? COMMENT_MAX_BYTES);
}


/***/ })

};
