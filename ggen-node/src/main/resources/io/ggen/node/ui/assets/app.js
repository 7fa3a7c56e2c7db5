(()=>{var v,Oe,Et,U,be,de,We,ie,ze,we,ke,Rt,Y=Symbol.for("pv"),ue={},_e=[],At=/^m(i|n|o|s|text|space)$/,xe=Array.isArray,Pe=_e.slice,W=Object.assign;function O(e){e&&e.parentNode&&e.remove()}function b(e,t,n){var s,o,r,a={},c=arguments.length;for(r in t)r=="key"?s=t[r]:r=="ref"&&typeof e!="function"?o=t[r]:a[r]=t[r];return c>2&&(a.children=c>3?Pe.call(arguments,2):n),J(e,a,s,o,null)}function J(e,t,n,s,o){var r={type:e,props:t,key:n,ref:s,__k:null,__:null,__b:0,__e:null,__c:null,constructor:Y,__v:o||++Oe,__i:-1,__u:0};return!o&&v.vnode&&v.vnode(r),r}function pe(e){return e.children}function le(e,t){this.props=e,this.context=t,this.__g=0}function L(e,t){if(t==null)return e.__&&L(e.__,e.__i+1);for(var n;t<e.__k.length;t++)if((n=e.__k[t])&&n.__e)return n.__e;return typeof e.type!="function"||e.props.__P?null:L(e)}function Dt(e){var t,n=e.__v,s=n.__e,o=[],r=[],a=e.__P;a&&((t=W({constructor:Y},n)).__v=n.__v+1,v.vnode&&v.vnode(t),Te(a,t,n,e.__n,a.namespaceURI,32&n.__u?[s]:null,o,s||L(n),32&n.__u,r),t.__v=n.__v,t.__.__k[t.__i]=t,Ye(o,t,r),n.__=n.__e=null,t.__e!=s&&Ve(t))}function Ve(e){if((e=e.__)&&e.__c&&!e.props.__P)return e.__e=null,e.__k.some(function(t){return t&&(e.__e=t.__e)}),Ve(e)}function je(e){(8&e.__g||(e.__g|=8,U.push(e),de++))&&be==v.debounceRendering||((be=v.debounceRendering)||queueMicrotask)(Ge)}function Ge(){try{for(var e,t=1;U.length;)U.length>t&&U.sort(We),e=U.shift(),t=U.length,8&e.__g&&Dt(e)}finally{(de=U.length)&&(be||queueMicrotask)(Ge)}}function Ke(e,t,n,s,o,r,a,c,l,p,d){var _,h,i,m,g,f,y=s.__k||_e,$=t.length;for(l=qt(n,t,y,l,$),_=0;_<$;_++)(i=n.__k[_])!=null&&(h=~i.__i&&y[i.__i]||ue,i.__i=_,f=Te(e,i,h,o,r,a,c,l,p,d),m=i.__e,(h.ref!=i.ref||8&h.__u)&&(h.ref&&Ce(h.ref,null,i,h),i.ref&&d.push(i.ref,i.__c||m,i)),g=g||m,4&i.__u?(l=Xe(i,l,e,!h.__v),h.__e&&(h.__e=null)):typeof i.type=="function"&&f!==void 0?l=f:m&&(l=m.nextSibling),i.__u&=-21);return n.__e=g,l}function qt(e,t,n,s,o){var r,a,c,l,p,d,_,h,i,m=n.length,g=m,f=0,y=0,$=e.__k=Array(o);for(r=0;r<o;r++)(a=t[r])!=null&&typeof a!="boolean"&&typeof a!="function"?(typeof a!="object"||a.constructor===String?a=$[r]=J(null,a):xe(a)?a=$[r]=J(pe,{children:a}):a.constructor===Y&&a.__b?a=$[r]=J(a.type,a.props,a.key,a.ref,a.__v):$[r]=a,l=r+f,a.__=e,a.__b=e.__b+1,c=null,~(p=a.__i=Ht(a,n,l,g))&&(g--,(c=n[p])&&(c.__u|=2)),c&&c.__v?(a.__u|=16,p==l-1?f--:p==l+1?f++:p!=l&&(p>l?f--:f++,y=1)):(~p||(o>m?f--:o<m&&f++),typeof a.type!="function"&&(a.__u|=4))):$[r]=null;if(y){for(d=[],_=[],r=0;r<o;r++)if((a=$[r])&&16&a.__u){for(f=0,h=d.length;f<h;)d[i=f+h>>1]<a.__i?f=i+1:h=i;d[f]=a.__i,_[r]=f+1}for(f=d.length;r--;)_[r]&&(_[r]==f?f--:$[r].__u|=4)}if(g)for(r=0;r<m;r++)!(c=n[r])||2&c.__u||(c.__e==s&&(s=L(c)),Se(c,c));return s}function Xe(e,t,n,s){var o,r,a,c;if(typeof e.type=="function"){if(e.props.__P)return t;if(o=e.__k)for(r=0;r<o.length;r++)o[r]&&(o[r].__=e,t=Xe(o[r],t,n,!1));return t}for(t&&!t.parentNode&&(t=L(e))&&!t.parentNode&&(t=null),a=e.__e,c=t;c&&c.nodeType==8;)c=c.nextSibling;for(a!=c&&(!s&&n.moveBefore&&a.parentNode?n.moveBefore(a,t):n.insertBefore(a,t||null)),t=a;(t=t&&t.nextSibling)&&t.nodeType==8&&!t.data.startsWith("$s"););return t}function Ht(e,t,n,s){var o,r=e.key,a=e.type,c=t[n],l=c&&!(2&c.__u);if(c===null&&r==null||l&&r==c.key&&a==c.type)return n;if(s>(l?1:0)){for(o=n-1;o>=0;o--)if((c=t[o])&&!(2&c.__u)&&r==c.key&&a==c.type)return o;for(o=n+1;o<t.length;o++)if((c=t[o])&&!(2&c.__u)&&r==c.key&&a==c.type)return o}return-1}function Fe(e,t,n){n==null&&(n=""),t[0]=="-"?e.setProperty(t,n):e[t]=n}function ae(e,t,n,s,o){var r,a;if(t=="style")if(typeof n=="string")e.style.cssText=n;else{if(typeof s=="string"&&(e.style.cssText=s=""),s)for(t in s)n&&t in n||Fe(e.style,t);if(n)for(t in n)s&&n[t]==s[t]||Fe(e.style,t,n[t])}else if(t[0]=="o"&&t[1]=="n")typeof n!="function"&&(n=null),typeof s!="function"&&(s=null),(e.__e||(e.__e={}))[t]=n,n&&s||(a=ke[t]||(ke[t]=Ut(t)),(e.__a||(e.__a={}))[t]=we,r=t!=(t=t.replace(ze,"$1")),(t=t.slice(2))[0]<"a"&&(t=t.toLowerCase()),n?e.addEventListener(t,a,r):e.removeEventListener(t,a,r));else{if(o=="http://www.w3.org/2000/svg")t=t.replace(/xlink(H|:h)/,"h").replace(/sName$/,"s");else if(t!="width"&&t!="height"&&t!="href"&&t!="list"&&t!="form"&&t!="tabIndex"&&t!="download"&&t!="rowSpan"&&t!="colSpan"&&t!="role"&&t!="popover"&&t in e)try{return void(e[t]=n??"")}catch{}if(typeof n=="function")return;n==null||n===!1&&t[4]!="-"?e.removeAttribute(t):e.setAttribute(t,t=="popover"&&n==1?"":n)}}function Ut(e){return function(t){var n=this.__e;if(n){if(n=n[e],t[ie]==null)t[ie]=we++;else if(t[ie]<this.__a[e])return;return n(v.event?v.event(t):t)}}}function Te(e,t,n,s,o,r,a,c,l,p){var d,_,h,i,m,g,f,y,$,P,k,ye,Le,re,j,Be,H,F,A=t.type;if(t.constructor!==Y)return null;128&n.__u&&(l=32&n.__u,d=n.__c.__z)&&(t.__u|=l,_=r=[],d.nodeType==8?c=ce(d,r):r.push(d),c=r[0]||c),(d=v.__b)&&d(t);e:if(typeof A=="function"){h=a.length;try{if(y=t.props,$=(d=A.prototype)&&d.render,P=(d=A.contextType)&&s[d.__c],k=d?P?P.props.value:d.__:s,(i=n.__c)?(t.__c=i,2&i.__g&&(i.__g|=1)):($?t.__c=i=new A(y,k):(t.__c=i=new le(y,k),i.constructor=A,i.render=Bt),P&&P.sub(i),i.state||(i.state={}),i.__n=s,i.__g|=8,i.__h=[],i.__k=[]),$&&(i.__s||(i.__s=i.state),A.getDerivedStateFromProps&&(i.__s==i.state&&(i.__s=W({},i.__s)),W(i.__s,A.getDerivedStateFromProps(y,i.__s)))),m=i.props,g=i.state,i.__v=t,n.__c){if(y!==m&&$&&!A.getDerivedStateFromProps&&i.componentWillReceiveProps&&i.componentWillReceiveProps(y,k),t.__v==n.__v&&!(8&i.__g)||!(4&i.__g)&&i.shouldComponentUpdate&&i.shouldComponentUpdate(y,i.__s,k)===!1){t.__v!=n.__v&&(i.props=y,i.state=i.__s,i.__g&=-9),t.__e=n.__e,t.__k=n.__k,t.__k.some(function(E){E&&(E.__=t)}),_e.push.apply(i.__h,i.__k),i.__k=[],i.__h.length&&a.push(i),c=L(n);break e}i.componentWillUpdate&&i.componentWillUpdate(y,i.__s,k),$&&i.componentDidUpdate&&i.__h.push(function(){i.componentDidUpdate(m,g,f)})}else $&&!A.getDerivedStateFromProps&&i.componentWillMount&&i.componentWillMount(),$&&i.componentDidMount&&i.__h.push(i.componentDidMount);i.context=k,i.props=y,i.__P=e,i.__g&=-5,ye=v.__r,Le=$?25:0;do i.__g&=-9,ye&&ye(t),d=i.render(i.props,i.state=i.__s,i.context);while(8&i.__g&&++Le<25);$&&(_e.push.apply(i.__h,i.__k),i.__k=[]),i.state=i.__s,i.getChildContext&&(s=W({},s,i.getChildContext())),$&&n.__c&&i.getSnapshotBeforeUpdate&&(f=i.getSnapshotBeforeUpdate(m,g)),re=d&&d.type===pe&&d.key==null?d.props.children:d,y.__P&&(d=c,o=(e=y.__P).namespaceURI,l=r=null,n.props&&n.props.__P!=e&&(n.__k.some(function(E){E&&Se(E,E)}),n.__k=null),c=n.__k?L(n,0):null),c=Ke(e,xe(re)?re:[re],t,n,s,o,r,a,c,l,p),y.__P&&(t.__e=null,c=d),t.__u&=-161,_&&_.some(O),i.__h.length&&a.push(i),1&i.__g&&(i.__g&=-4)}catch(E){if(a.length=h,t.__v=null,l||r)if(E&&E.then){if(t.__u|=128|l,r){for(~(H=r.indexOf(c||void 0))||(H=r.length);(F=r[H-1])&&F.nodeType==8;)H--;for(;H<r.length;H++)if(F=r[H])if(r[H]=null,j){if(F==Be)break}else{if(F.nodeType!=8)break;F.data.startsWith("$s")&&(Be=ce(j=F))}}if(!j){for(;c&&c.nodeType==8&&c.nextSibling;)c=c.nextSibling;j=c}(d=ce(j=t.__c.__z||(t.__c.__z=j)))?(t.__e=j,c=d):t.__e=c,c=c&&c.nextSibling}else r&&r.some(O);else t.__e=n.__e;t.__k||(t.__k=n.__k||[]),E&&E.then||Je(t),v.__e(E,t,n)}}else c=t.__e=Lt(n.__e,t,n,s,o,r,a,l,p,e);return(d=v.diffed)&&d(t),c}function ce(e,t){if(e&&e.nodeType==8&&e.data.startsWith("$s"))for(var n=1;e=e.nextSibling;){if(e.nodeType==8){if(e.data.startsWith("$s"))n++;else if(e.data.startsWith("/$s")&&!--n)return e}t&&t.push(e)}}function Je(e){e&&(e.__c&&(e.__c.__g|=4),e.__k&&e.__k.some(Je))}function Ye(e,t,n){for(var s=0;s<n.length;)Ce(n[s++],n[s++],n[s++]);v.__c&&v.__c(t,e),e.some(function(o){try{e=o.__h,o.__h=[],e.some(function(r){r.call(o)})}catch(r){v.__e(r,o.__v)}})}function Lt(e,t,n,s,o,r,a,c,l,p){var d,_,h,i,m,g,f,y,$=n.props||ue,P=t.props,k=t.type;if(k=="svg"?o="http://www.w3.org/2000/svg":k=="math"?o="http://www.w3.org/1998/Math/MathML":o||(o="http://www.w3.org/1999/xhtml"),r){for(d=0;d<r.length;d++)if((m=r[d])&&(k?m.localName==k:m.nodeType==3)){e=m,r[d]=null;break}}if(!e){if(y=p.ownerDocument||document,!k)return y.createTextNode(P);e=y.createElementNS(o,k,P.is?P:p),c&&(v.__m&&v.__m(t,r),c=!1),r=null}if(k){if(p=k=="template"&&e.content||e,r=k=="textarea"&&P.defaultValue!=null?null:r&&Pe.call(p.childNodes),!c&&r)for($={},d=0;d<e.attributes.length;d++)$[(m=e.attributes[d]).name]=m.value;for(d in $)m=$[d],d=="dangerouslySetInnerHTML"?h=m:d=="children"||d in P||d=="value"&&"defaultValue"in P||d=="checked"&&"defaultChecked"in P||ae(e,d,null,m,o);for(d in P)m=P[d],d=="children"?i=m:d=="dangerouslySetInnerHTML"?_=m:d=="value"?g=m:d=="checked"?f=m:c&&typeof m!="function"||$[d]===m||ae(e,d,m,$[d],o);_?(c||h&&(_.__html==h.__html||_.__html==e.innerHTML)||(e.innerHTML=_.__html),t.__k=[]):(h&&(e.textContent=""),(k=="foreignObject"||o=="http://www.w3.org/1998/Math/MathML"&&At.test(k))&&(o="http://www.w3.org/1999/xhtml"),Ke(p,xe(i)?i:[i],t,n,s,o,r,a,r?r[0]:n.__k&&L(n,0),c,l),r&&r.some(O)),c&&k!="textarea"||(d="value",k=="progress"&&g==null?e.removeAttribute(d):g==null||g===e[d]&&(k!="progress"||g)||ae(e,d,g,$[d],o),d="checked",f!=null&&f!=e[d]&&ae(e,d,f,$[d],o))}else $===P||c&&e.data==P||(e.data=P);return e}function Ce(e,t,n,s){try{typeof e=="function"?t?t.__x=e(t)||1:s&&(s=s.__c||s.__e)&&(t=s.__x)&&(s.__x=null,typeof t=="function"?t():e(null)):e.current=t}catch(o){v.__e(o,n)}}function Se(e,t,n){var s,o,r,a;if(v.unmount&&v.unmount(e),!(s=e.ref)||s.current&&s.current!=e.__e||Ce(s,null,t,e),s=e.__c){if(s.componentWillUnmount)try{s.componentWillUnmount()}catch(c){v.__e(c,t)}s.__P=s.__n=null}if(s=e.__k)for(a=0;a<s.length;a++)s[a]&&Se(s[a],t,typeof e.type!="function"||n&&!e.props.__P);!n&&(s=e.__c)&&(s=s.__z)&&(o=ce(s,r=[]))&&(s==e.__e&&r.some(O),O(o),O(s)),n||O(e.__e),e.__e=e.__c=e.__=null}function Bt(e,t,n){return this.constructor(e,n)}function Qe(e,t){var n,s,o,r;v.__&&v.__(e,t),t.nodeType==9&&(t=t.documentElement),s=(n=e&&32&e.__u)?null:t.__k,t.__k=J(pe,{children:[e]}),o=[],r=[],Te(t,t.__k,s||ue,ue,t.namespaceURI,s?null:t.firstChild?Pe.call(t.childNodes):null,o,s?s.__e:t.firstChild,n,r),Ye(o,t.__k,r),t.__k.props.children=null}v={__e:function(e,t,n,s){for(var o,r,a;t=t.__;)if((o=t.__c)&&!(1&o.__g)){o.__g|=4;try{if((a=(r=o.constructor)&&r.getDerivedStateFromError)&&o.setState(r.getDerivedStateFromError(e)),o.componentDidCatch&&(o.componentDidCatch(e,s||{}),a=1),a&&8&o.__g)return void(o.__g|=2)}catch(c){e=c}}throw de=0,e}},Oe=0,Et=function(e){return e!=null&&e.constructor===Y},le.prototype.setState=function(e,t){var n=this.__s;n&&n!=this.state||(n=this.__s=W({},this.state)),typeof e=="function"&&(e=e(W({},n),this.props)),e&&(W(n,e),this.__v&&(t&&this.__k.push(t),je(this)))},le.prototype.forceUpdate=function(e){this.__v&&(this.__g|=4,e&&this.__h.push(e),je(this))},le.prototype.render=pe,U=[],de=0,We=function(e,t){return e.__v.__b-t.__v.__b},ie=Symbol(),ze=/(PointerCapture)$|Capture$/i,we=0,ke={},Rt=0;var et=function(e,t,n,s){var o;t[0]=0;for(var r=1;r<t.length;r++){var a=t[r++],c=t[r]?(t[0]|=a?1:2,n[t[r++]]):t[++r];a===3?s[0]=c:a===4?s[1]=Object.assign(s[1]||{},c):a===5?(s[1]=s[1]||{})[t[++r]]=c:a===6?s[1][t[++r]]+=c+"":a?(o=e.apply(c,et(e,c,n,["",null])),s.push(o),c[0]?t[0]|=2:(t[r-2]=0,t[r]=o)):s.push(c)}return s},Ze=new Map;function tt(e){var t=Ze.get(this);return t||(t=new Map,Ze.set(this,t)),(t=et(this,t.get(e)||(t.set(e,t=(function(n){for(var s,o,r=1,a="",c="",l=[0],p=function(h){r===1&&(h||(a=a.replace(/^\s*\n\s*|\s*\n\s*$/g,"")))?l.push(0,h,a):r===3&&(h||a)?(l.push(3,h,a),r=2):r===2&&a==="..."&&h?l.push(4,h,0):r===2&&a&&!h?l.push(5,0,!0,a):r>=5&&((a||!h&&r===5)&&(l.push(r,0,a,o),r=6),h&&(l.push(r,h,0,o),r=6)),a=""},d=0;d<n.length;d++){d&&(r===1&&p(),p(d));for(var _=0;_<n[d].length;_++)s=n[d][_],r===1?s==="<"?(p(),l=[l],r=3):a+=s:r===4?a==="--"&&s===">"?(r=1,a=""):a=s+a[0]:c?s===c?c="":a+=s:s==='"'||s==="'"?c=s:s===">"?(p(),r=1):r&&(s==="="?(r=5,o=a,a=""):s==="/"&&(r<5||n[d][_+1]===">")?(p(),r===3&&(l=l[0]),r=l,(l=l[0]).push(2,0,r),r=0):s===" "||s==="	"||s===`
`||s==="\r"?(p(),r=2):a+=s),r===3&&a==="!--"&&(r=4,l=l[0])}return p(),l})(e)),t),arguments,[])).length>1?t:t[0]}var u=tt.bind(b);var Z,x,Me,nt,Ie=Object.is,he=0,ut=[],Ne=[],w=v,st=w.__b,ot=w.__r,rt=w.diffed,at=w.__c,it=w.unmount,lt=w.__;function Re(e,t){w.__h&&w.__h(x,e,he||t),he=0;var n=x.__H||(x.__H={__:[],__h:[]});return e>=n.__.length&&n.__.push({}),n.__[e]}function T(e){return he=1,jt(pt,e)}function jt(e,t,n){var s=Re(Z++,2);if(s.t=e,!s.__c&&(s.__=[n?n(t):pt(void 0,t),function(r){var a=(s.__N||s.__)[0],c=s.t(a,r);Ie(a,c)||(s.__N=[c,s.__[1]],s.__c.setState({}))}],s.__c=x,!x.__f)){x.__f=!0;var o=x.shouldComponentUpdate;x.shouldComponentUpdate=function(r,a,c){var l=this.__H;if(!l)return!0;var p=!1,d=this.props!=r;if(l.__.some(function(h){h.__N&&(p=!0,Ie(h.__[0],h.__N[0])||(d=!0))}),o){var _=o.call(this,r,a,c);return p?_||d:_}return!p||d}}return s.__}function M(e,t){var n=Re(Z++,3);!w.__s&&_t(n.__H,t)&&(n.__P=!0,n.__=e,n.u=t,x.__H.__h.push(n))}function fe(e){return he=5,Ft(function(){return{current:e}},[])}function Ft(e,t){var n=Re(Z++,7);return _t(n.__H,t)&&(n.__=e(),n.__H=t),n.__}function Ot(){var e;do{for(;e=Ne.shift();)try{Q(e)}catch(n){w.__e(n,{__:(e=e.__P)&&e.__v})}for(;e=ut.shift();){var t=e.__H;if(e.__P&&t)try{t.__h.some(Q),t.__h.some(Ee),t.__h=[]}catch(n){t.__h=[],w.__e(n,e.__v)}}}while(Ne.length)}w.__b=function(e){x=null,st&&st(e)},w.__=function(e,t){e&&t.__k&&t.__k.__m&&(e.__m=t.__k.__m),lt&&lt(e,t)},w.__r=function(e){ot&&ot(e),Z=0;var t=(x=e.__c).__H;t&&(Me==x?x.__h=[]:(t.__h.some(Q),t.__h.some(Ee),Z=0),t.__h=[],t.__.some(function(n){n.__N&&(n.__=n.__N),n.u=n.__N=void 0})),Me=x},w.diffed=function(e){rt&&rt(e);var t=e.__c;t&&t.__H&&(t.__H.__h.length&&dt(ut.push(t)),t.__H.__.some(function(n){n.u&&(n.__H=n.u)})),Me=x=null},w.__c=function(e,t){t.some(function(n){try{n.__h.some(Q),n.__h=n.__h.filter(function(s){return!s.__||Ee(s)})}catch(s){n.__h=[function(){throw s}]}}),at&&at(e,t)},w.unmount=function(e){it&&it(e);var t,n,s=e.__c;s&&s.__H&&(s.__H.__.some(function(o){try{if(o.__P&&o.__c){if(n===void 0){for(n=e.__;n&&(!n.__c||!n.__c.__P);)n=n.__;n=n&&n.__c}o.__P=n,dt(Ne.push(o))}else Q(o)}catch(r){t=r}}),s.__H=void 0,t&&w.__e(t,s.__v))};var ct=typeof requestAnimationFrame=="function";function Wt(e){var t,n=function(){clearTimeout(s),ct&&cancelAnimationFrame(t),setTimeout(e)},s=setTimeout(n,35);ct&&(t=requestAnimationFrame(n))}function dt(e){e!=1&&nt==w.requestAnimationFrame||((nt=w.requestAnimationFrame)||Wt)(Ot)}function Q(e){var t=x,n=e.__c;typeof n=="function"&&(e.__c=void 0,n()),x=t}function Ee(e){var t=x;e.__c=e.__(),x=t}function _t(e,t){return!e||e.length!=t.length||t.some(function(n,s){return!Ie(n,e[s])})}function pt(e,t){return typeof t=="function"?t(e):t}function ee(e,t,n=[]){let[s,o]=T({data:null,error:null,loading:!0}),r=fe(e);return r.current=e,M(()=>{let a=!1,c=null,l=async()=>{if(c=null,!a){if(document.hidden){c=setTimeout(l,t);return}try{let d=await r.current();a||o({data:d,error:null,loading:!1})}catch(d){a||o(_=>({data:_.data,error:d,loading:!1}))}a||(c=setTimeout(l,t))}};o({data:null,error:null,loading:!0}),l();let p=()=>{!document.hidden&&c!==null&&(clearTimeout(c),l())};return document.addEventListener("visibilitychange",p),()=>{a=!0,c!==null&&clearTimeout(c),document.removeEventListener("visibilitychange",p)}},n),s}function ht(){let[e,t]=T(location.hash);return M(()=>{let n=()=>t(location.hash);return window.addEventListener("hashchange",n),()=>window.removeEventListener("hashchange",n)},[]),zt(e)}function zt(e){let t=e.replace(/^#\/?/,""),n=t.indexOf("?"),s=n<0?t:t.slice(0,n),o=new URLSearchParams(n<0?"":t.slice(n+1));return{path:s.split("/").filter(a=>a.length>0).map(decodeURIComponent),query:o}}var te=class extends Error{constructor(t,n){super(n),this.status=t}};async function z(e,t,n){let s={method:e,headers:{Accept:"application/json"},credentials:"same-origin",cache:"no-store"};n!==void 0&&(s.headers["Content-Type"]="application/json",s.body=JSON.stringify(n));let o;try{o=await fetch(t,s)}catch{throw new te(0,"the node does not answer (is it still running?)")}let r=null;try{r=await o.json()}catch{r=null}if(!o.ok)throw o.status===401?new te(401,'this browser is not logged in to the node; run "ggen marketplace p2p ui" for a new link'):new te(o.status,r&&r.error||`the node answered ${o.status}`);return r}var I={status:()=>z("GET","/v1/status"),peers:()=>z("GET","/v1/peers?verbose=true"),routingTable:()=>z("GET","/v1/dht/routing-table"),search:e=>z("POST","/v1/search",e),packageInfo:(e,t)=>z("GET",`/v1/packages/${encodeURIComponent(e)}${t?`?version=${encodeURIComponent(t)}`:""}`),fetch:e=>z("POST","/v1/fetch",{spec:e}),fetchJob:e=>z("GET",`/v1/fetch/${encodeURIComponent(e)}`)};function C(e){if(e==null||Number.isNaN(e))return"—";let t=["B","KiB","MiB","GiB","TiB"],n=Number(e),s=0;for(;n>=1024&&s<t.length-1;)n/=1024,s++;return s===0?`${n} B`:`${n.toFixed(n<10?1:0)} ${t[s]}`}function ft(e){return e==null?"—":`${C(Math.round(e))}/s`}function N(e){return e?e.length>16?`${e.slice(0,8)}…${e.slice(-6)}`:e:""}function me(e){return e==null?"—":e<10?`${e.toFixed(1)} ms`:`${Math.round(e)} ms`}function Ae(e){let t=Math.max(0,Math.floor(e)),n=Math.floor(t/86400),s=Math.floor(t%86400/3600),o=Math.floor(t%3600/60);return n>0?`${n}d ${s}h`:s>0?`${s}h ${o}m`:o>0?`${o}m ${t%60}s`:`${t}s`}function ne(e){if(!e)return"—";let t=Date.parse(e);if(Number.isNaN(t))return"—";let n=(Date.now()-t)/1e3;return n<0?"just now":n<60?`${Math.floor(n)} s ago`:n<3600?`${Math.floor(n/60)} min ago`:n<86400?`${Math.floor(n/3600)} h ago`:new Date(t).toISOString().slice(0,10)}function G(e){if(!e)return null;let t=e.bandwidth||e.traffic||e,n=t.bytes_in??t.total_in??null,s=t.bytes_out??t.total_out??null;return n===null&&s===null?null:{in:n,out:s,rateIn:t.rate_in??t.bytes_in_per_sec??null,rateOut:t.rate_out??t.bytes_out_per_sec??null}}var Vt=2e3,De=180,oe=new Set,D=[],se={data:null,error:null},$e=null;function Gt(e){let t=G(e),n=e.dht||{},s=e.pubsub||{};for(D.push({at:Date.now(),bytesIn:t?t.in:null,bytesOut:t?t.out:null,messages:s.messages_received??0,dhtRequests:(n.requests_received??0)+(n.requests_sent??0),peers:e.connected_peers??0});D.length>De;)D.shift()}async function mt(){if($e=null,oe.size!==0){if(!document.hidden){try{let e=await I.status();Gt(e),se={data:e,error:null}}catch(e){se={data:se.data,error:e}}oe.forEach(e=>e(se))}oe.size>0&&$e===null&&($e=setTimeout(mt,Vt))}}function ge(){let[e,t]=T(se);return M(()=>(oe.add(t),$e===null&&mt(),()=>oe.delete(t)),[]),e}function $t(){let e=[],t=D.length>0&&D[D.length-1].bytesIn!==null;for(let n=1;n<D.length;n++){let s=D[n-1],o=D[n],r=(o.at-s.at)/1e3;if(r<=0)continue;let a=(c,l)=>c===null||l===null?0:Math.max(0,l-c)/r;e.push(t?{at:o.at,a:a(s.bytesIn,o.bytesIn),b:a(s.bytesOut,o.bytesOut),peers:o.peers}:{at:o.at,a:a(s.messages,o.messages),b:a(s.dhtRequests,o.dhtRequests),peers:o.peers})}return{bytes:t,points:e}}function R({error:e}){return e?u`<div class="error-box" role="alert">${e.message||String(e)}</div>`:null}function B({what:e}){return u`<div class="loading">Loading ${e}…</div>`}function ve({children:e}){return u`<div class="empty">${e}</div>`}function K({value:e}){let t=Math.max(0,Math.min(1,Number(e)||0)),n=t>=.8?"good":t>=.5?"fair":"poor";return u`<span class="rep" title=${`reputation ${t.toFixed(3)}`}><span class="rep-bar"><span class=${`rep-fill ${n}`} style=${{width:`${Math.round(t*100)}%`}}></span></span>${Math.round(t*100)}%</span>`}function S({title:e,children:t,right:n,id:s}){return u`<section class="card" id=${s}>
    ${e?u`<div class="card-head"><h2>${e}</h2>${n||null}</div>`:null}
    <div class="card-body">${t}</div>
  </section>`}var Kt=[["","any reputation"],["0.5","≥ 50%"],["0.8","≥ 80%"],["0.9","≥ 90%"],["1","100%"]];function gt(e){let t=new URLSearchParams;e.q&&t.set("q",e.q),e.category&&t.set("category",e.category),e.tag&&t.set("tag",e.tag),e.min&&t.set("min",e.min);let n=t.toString();return`#/packages${n?`?${n}`:""}`}function vt({query:e}){let t={q:e.get("q")||"",category:e.get("category")||"",tag:e.get("tag")||"",min:e.get("min")||""},[n,s]=T(t),[o,r]=T({data:null,error:null,loading:!0}),a=gt(t),c=fe(null),l=_=>{c.current=gt(_),location.hash=c.current};M(()=>{c.current!==a&&s(t)},[a]),M(()=>{let _=!0;r(i=>({...i,loading:!0}));let h=t.tag.split(",").map(i=>i.trim()).filter(i=>i);return I.search({query:t.q,category:t.category.trim()||null,tags:h,limit:50,min_reputation:t.min===""?null:Number(t.min)}).then(i=>_&&r({data:i,error:null,loading:!1}),i=>_&&r({data:null,error:i,loading:!1})),()=>{_=!1}},[a]),M(()=>{if(n.q===t.q)return;let _=setTimeout(()=>l(n),350);return()=>clearTimeout(_)},[n.q]);let p=_=>{let h={...n,..._};s(h),l(h)},d=o.data?o.data.results:[];return u`
    <section class="hero">
      <h1>Template packs, shared peer to peer</h1>
      <p>Every pack here is signed by its publisher and served by the nodes of the network. Search this node's catalog; when it knows little, it asks its peers too.</p>
      <form class="search" onSubmit=${_=>{_.preventDefault(),p({})}} role="search">
        <input id="search-q" type="search" placeholder="Search packs: rust, cli, web…" value=${n.q} autocomplete="off"
          onInput=${_=>s({...n,q:_.currentTarget.value})} aria-label="Search packs" />
        <button type="submit" class="primary">Search</button>
      </form>
      <div class="filters">
        <label>Category <input id="filter-category" value=${n.category} placeholder="e.g. cli"
          onInput=${_=>s({...n,category:_.currentTarget.value})} onChange=${_=>p({category:_.currentTarget.value})} /></label>
        <label>Tags <input id="filter-tag" value=${n.tag} placeholder="e.g. rust, async"
          onInput=${_=>s({...n,tag:_.currentTarget.value})} onChange=${_=>p({tag:_.currentTarget.value})} /></label>
        <label>Providers
          <select id="filter-min" value=${n.min} onChange=${_=>p({min:_.currentTarget.value})}>
            ${Kt.map(([_,h])=>u`<option value=${_}>${h}</option>`)}
          </select>
        </label>
      </div>
    </section>
    <${R} error=${o.error} />
    <div class="result-meta">
      ${o.loading?"Searching…":o.data?u`<span id="result-count">${d.length} ${d.length===1?"pack":"packs"}</span>
        ${o.data.peers_asked>0?u` · asked ${o.data.peers_answered} of ${o.data.peers_asked} peers`:null}
        ${t.q?u` · ranked by relevance to “${t.q}”`:u` · the catalog of this node`}`:null}
    </div>
    ${!o.loading&&o.data&&d.length===0?u`<${ve}>
        No pack matches${t.q?u` “${t.q}”`:""}. Packs arrive as peers announce them; publish one with <code>ggen marketplace p2p publish ./my-pack</code>.
      <//>`:null}
    <ol class="hits">
      ${d.map(_=>u`
        <li class="hit" data-id=${_.id}>
          <div class="hit-main">
            <a class="hit-name" href=${`#/package/${encodeURIComponent(_.id)}`}>${_.name||_.id}</a>
            <span class="badge version">v${_.version}</span>
            ${_.source==="network"?u`<span class="badge net" title="brought in by a peer during this search">from peers</span>`:null}
            <div class="hit-id">${_.id}</div>
            <p class="hit-desc">${_.description}</p>
          </div>
          <dl class="hit-facts">
            <div><dt>Providers</dt><dd>${_.providers}</dd></div>
            <div><dt>Reputation</dt><dd>${_.providers>0?u`<${K} value=${_.avg_reputation} />`:"—"}</dd></div>
            <div><dt>Size</dt><dd>${C(_.size)}</dd></div>
            <div><dt>Publisher</dt><dd class="mono" title=${_.publisher}>${N(_.publisher)}</dd></div>
          </dl>
        </li>`)}
    </ol>`}var Xt=2e3,yt=8;function qe(e,t=0){let n=e.replace(/\r\n?/g,`
`).split(`
`),s=[],o=0;for(;o<n.length&&s.length<Xt;){let r=n[o];if(/^\s*$/.test(r)){o++;continue}let a=r.match(/^\s*(```|~~~)\s*([\w+-]*)/);if(a){let p=[];for(o++;o<n.length&&!n[o].trim().startsWith(a[1]);)p.push(n[o++]);o++,s.push(b("pre",{class:"code"},b("code",{"data-lang":a[2]||null},p.join(`
`))));continue}let c=r.match(/^(#{1,6})\s+(.*?)\s*#*\s*$/);if(c){s.push(b(`h${Math.min(6,c[1].length+1)}`,null,q(c[2]))),o++;continue}if(/^\s{0,3}([-*_])(\s*\1){2,}\s*$/.test(r)){s.push(b("hr",null)),o++;continue}if(t<yt&&/^\s{0,3}>/.test(r)){let p=[];for(;o<n.length&&/^\s{0,3}>/.test(n[o]);)p.push(n[o++].replace(/^\s{0,3}>\s?/,""));s.push(b("blockquote",null,qe(p.join(`
`),t+1)));continue}if(/^\s{0,3}([-*+]|\d{1,9}[.)])\s+/.test(r)){let p=/^\s{0,3}\d/.test(r),d=[];for(;o<n.length&&/^\s{0,3}([-*+]|\d{1,9}[.)])\s+/.test(n[o]);){let _=n[o++].replace(/^\s{0,3}([-*+]|\d{1,9}[.)])\s+/,"");for(;o<n.length&&/^\s{2,}\S/.test(n[o])&&!/^\s{0,3}([-*+]|\d{1,9}[.)])\s+/.test(n[o]);)_+=" "+n[o++].trim();d.push(b("li",null,q(_)))}s.push(b(p?"ol":"ul",null,d));continue}if(r.includes("|")&&o+1<n.length&&/^\s*\|?\s*:?-{3,}:?\s*(\|\s*:?-{3,}:?\s*)*\|?\s*$/.test(n[o+1])){let p=h=>h.trim().replace(/^\|/,"").replace(/\|$/,"").split("|").map(i=>i.trim()),d=p(r);o+=2;let _=[];for(;o<n.length&&n[o].includes("|")&&n[o].trim()!=="";)_.push(p(n[o++]));s.push(b("table",{class:"md-table"},b("thead",null,b("tr",null,d.map(h=>b("th",null,q(h))))),b("tbody",null,_.map(h=>b("tr",null,h.map(i=>b("td",null,q(i))))))));continue}let l=[];for(;o<n.length&&!/^\s*$/.test(n[o])&&!/^(#{1,6}\s|\s*(```|~~~))/.test(n[o])&&!(t<yt&&/^\s{0,3}>/.test(n[o]))&&!/^\s{0,3}([-*+]|\d{1,9}[.)])\s+/.test(n[o]);)l.push(n[o++].trim());l.length===0&&l.push(n[o++]),s.push(b("p",null,q(l.join(" "))))}return s}function bt(e){let t=e.trim();return/^(https?:|mailto:)/i.test(t)?t:null}var Jt=2e4,kt=/(`+)([^`]+)\1(?!`)|\*\*([^*]+)\*\*|__([^_]+)__|\*([^*\s][^*]*)\*|\b_([^_\s][^_]*)_\b|!\[([^\]]*)\]\(([^)\s]+)(?:\s+"[^"]*")?\)|\[([^\]]+)\]\(([^)\s]+)(?:\s+"[^"]*")?\)|<(https?:\/\/[^>\s]+)>/g;function q(e,t=0){if(t>4||e.length>Jt)return[e];let n=[],s=0,o;kt.lastIndex=0;let r=new RegExp(kt.source,"g");for(;(o=r.exec(e))!==null;){if(o.index>s&&n.push(e.slice(s,o.index)),o[1])n.push(b("code",null,o[2].trim()));else if(o[3]||o[4])n.push(b("strong",null,q(o[3]||o[4],t+1)));else if(o[5]||o[6])n.push(b("em",null,q(o[5]||o[6],t+1)));else if(o[8]!==void 0){let a=bt(o[8]),c=`[image: ${o[7]||o[8]}]`;n.push(a?b("a",{href:a,rel:"noopener noreferrer",target:"_blank"},c):c)}else if(o[10]!==void 0){let a=bt(o[10]);n.push(a?b("a",{href:a,rel:"noopener noreferrer",target:"_blank"},q(o[9],t+1)):q(o[9],t+1))}else o[11]&&n.push(b("a",{href:o[11],rel:"noopener noreferrer",target:"_blank"},o[11]));s=r.lastIndex}return s<e.length&&n.push(e.slice(s)),n}var wt={pinned:["trust-pinned","Pinned","You pinned this key as the owner of the package."],tofu:["trust-tofu","Trusted on first use","The first key this node saw publishing the package; releases signed by any other key are refused."],none:["trust-none","Unknown owner","This node has recorded no owner for the package."]};async function Yt(e){if(navigator.clipboard&&window.isSecureContext)try{return await navigator.clipboard.writeText(e),!0}catch{}let t=document.createElement("textarea");t.value=e,t.setAttribute("readonly",""),t.className="offscreen",document.body.appendChild(t),t.select();let n=!1;try{n=document.execCommand("copy")}finally{t.remove()}return n}function Qt({command:e}){let[t,n]=T(null);return u`<div class="install">
    <div class="install-label">Install</div>
    <div class="install-row">
      <code id="install-command">${e}</code>
      <button id="copy-install" class="copy" onClick=${async()=>{let o=await Yt(e);n(o?"Copied":"Select and copy"),document.body.dataset.copied=o?e:"",setTimeout(()=>n(null),2e3)}} title="Copy the command">${t||"Copy"}</button>
    </div>
  </div>`}function xt({info:e,onDone:t}){let[n,s]=T(null),[o,r]=T(null);M(()=>{if(!n||n.done)return;let l=setTimeout(async()=>{try{let p=await I.fetchJob(n.job);s(p),p.done&&(p.error?r(new Error(p.error)):t())}catch(p){r(p)}},500);return()=>clearTimeout(l)},[n]);let a=async()=>{r(null);try{s(await I.fetch(`${e.id}@${e.version}`))}catch(l){r(l)}},c=e.versions.find(l=>l.version===e.version);return u`<div class="fetch-box">
    <p>The readme and the file list come with the archive, which this node has not fetched yet${c?u` (${C(c.size)})`:""}.</p>
    ${n&&!n.done?u`<div class="progress"><div class="progress-fill" style=${{width:`${n.bytes_total?Math.round(100*n.bytes_done/n.bytes_total):5}%`}}></div></div>`:u`<button id="fetch-archive" class="primary" onClick=${a}>Fetch the archive</button>`}
    <${R} error=${o} />
  </div>`}function Pt({id:e,version:t}){let[n,s]=T({data:null,error:null}),[o,r]=T(0),[a,c]=T("readme");if(M(()=>{let i=!0;return I.packageInfo(e,t).then(m=>i&&s({data:m,error:null}),m=>i&&s({data:null,error:m})),()=>{i=!1}},[e,t,o]),M(()=>{let i=setInterval(()=>!document.hidden&&r(m=>m+1),1e4);return()=>clearInterval(i)},[]),n.error)return u`<a class="back" href="#/packages">← All packs</a><${R} error=${n.error} />`;let l=n.data;if(!l)return u`<${B} what=${e} />`;let p=l.versions.find(i=>i.version===l.version),d=wt[l.publisher.trust]||wt.none,_=Object.entries(l.dependencies||{}),h=[["readme","Readme"],["versions",`Versions (${l.versions.length})`],["files",`Files${l.archive_local?` (${l.file_count})`:""}`],["deps",`Dependencies (${_.length})`]];return u`
    <a class="back" href="#/packages">← All packs</a>
    <div class="pkg-head">
      <h1 id="package-title">${l.name||l.id}</h1>
      <span class="badge version big">v${l.version}</span>
      ${p&&p.yanked?u`<span class="badge yanked big" title=${p.yank_reason}>yanked</span>`:null}
      <div class="pkg-id mono">${l.id}</div>
      <p class="pkg-desc">${l.description}</p>
      <div class="chips">
        ${l.categories.map(i=>u`<a class="chip cat" href=${`#/packages?category=${encodeURIComponent(i)}`}>${i}</a>`)}
        ${l.tags.map(i=>u`<a class="chip" href=${`#/packages?tag=${encodeURIComponent(i)}`}>#${i}</a>`)}
        ${l.keywords.map(i=>u`<span class="chip kw">${i}</span>`)}
      </div>
    </div>
    <div class="pkg-grid">
      <div class="pkg-main">
        <div class="tabs" role="tablist">
          ${h.map(([i,m])=>u`<button role="tab" class=${a===i?"tab active":"tab"} data-tab=${i} onClick=${()=>c(i)}>${m}</button>`)}
        </div>
        <div class="tab-body">
          ${a==="readme"?l.archive_local?l.readme?u`<article class="readme" id="readme">${qe(l.readme)}
                ${l.readme_truncated?u`<p class="muted">(The readme is longer; the rest is in ${l.readme_path}.)</p>`:null}</article>`:u`<p class="muted">This pack has no readme.</p>`:u`<${xt} info=${l} onDone=${()=>r(i=>i+1)} />`:null}
          ${a==="versions"?u`<table class="grid" id="versions">
              <thead><tr><th>Version</th><th>Published</th><th>Size</th><th>CID</th><th></th></tr></thead>
              <tbody>${l.versions.map(i=>u`<tr class=${i.yanked?"yanked-row":""}>
                <td><a href=${`#/package/${encodeURIComponent(l.id)}?version=${encodeURIComponent(i.version)}`}>${i.version}</a></td>
                <td>${ne(i.published_at)}</td><td>${C(i.size)}</td><td class="mono" title=${i.cid}>${N(i.cid)}</td>
                <td>${i.yanked?u`<span class="badge yanked" title=${i.yank_reason||"yanked by its owner"}>yanked${i.yank_reason?`: ${i.yank_reason}`:""}</span>`:null}</td>
              </tr>`)}</tbody></table>`:null}
          ${a==="files"?l.archive_local?u`<table class="grid" id="files">
              <thead><tr><th>Path</th><th class="num">Size</th></tr></thead>
              <tbody>${l.files.map(i=>u`<tr><td class="mono">${i.path}</td><td class="num">${C(i.size)}</td></tr>`)}</tbody>
              <tfoot><tr><td>${l.file_count} files${l.file_count>l.files.length?` (first ${l.files.length} shown)`:""}</td><td class="num">${C(l.unpacked_bytes)}</td></tr></tfoot>
            </table>`:u`<${xt} info=${l} onDone=${()=>r(i=>i+1)} />`:null}
          ${a==="deps"?_.length===0?u`<p class="muted">No dependencies.</p>`:u`<table class="grid" id="deps">
              <thead><tr><th>Package</th><th>Version range</th></tr></thead>
              <tbody>${_.map(([i,m])=>u`<tr><td><a href=${`#/package/${encodeURIComponent(i)}`}>${i}</a></td><td class="mono">${m}</td></tr>`)}</tbody>
            </table>`:null}
        </div>
      </div>
      <aside class="pkg-side">
        <${Qt} command=${l.install_command} />
        <${S} title="About">
          <dl class="facts">
            <dt>License</dt><dd>${l.license||"—"}</dd>
            <dt>ggen</dt><dd class="mono">${l.ggen_compat||"any"}</dd>
            ${p?u`<dt>Published</dt><dd>${ne(p.published_at)}</dd><dt>Size</dt><dd>${C(p.size)}</dd>`:null}
            ${l.authors.length?u`<dt>Authors</dt><dd>${l.authors.join(", ")}</dd>`:null}
            ${l.homepage?u`<dt>Homepage</dt><dd><a href=${/^https?:/i.test(l.homepage)?l.homepage:null} rel="noopener noreferrer" target="_blank">${l.homepage}</a></dd>`:null}
            ${l.repository?u`<dt>Repository</dt><dd><a href=${/^https?:/i.test(l.repository)?l.repository:null} rel="noopener noreferrer" target="_blank">${l.repository}</a></dd>`:null}
          </dl>
        <//>
        <${S} title="Publisher">
          <div class="mono fingerprint" id="publisher-key" title="the publisher key's fingerprint">${l.publisher.fingerprint}</div>
          <div class=${`trust ${d[0]}`} id="trust-state" title=${d[2]}>${d[1]}</div>
          <p class="muted small">${d[2]}</p>
        <//>
        <${S} title=${`Providers (${l.providers.length})`}>
          ${l.providers.length===0?u`<p class="muted">No peer is known to serve this version yet.</p>`:u`<ul class="providers" id="providers">
            ${l.providers.map(i=>u`<li><span class="mono" title=${i.peer_id}>${N(i.peer_id)}</span>${i.self?u`<span class="badge self">this node</span>`:null}
              <${K} value=${i.reputation} /></li>`)}
          </ul>`}
        <//>
      </aside>
    </div>`}function He(e){let t=e.connections||[];return t.length===0?"":t.some(n=>!String(n.remote_addr).includes("/p2p-circuit"))?"direct":"relayed"}function Tt(){let e=Zt(),[t,n]=T(!1);if(!e.data&&e.loading)return u`<${B} what="peers" />`;let s=e.data?e.data.peers:[],o=s.filter(a=>a.connected),r=t?s:o;return u`
    <div class="page-head">
      <h1>Peers</h1>
      <p class="muted">Peers this node is connected to now${t?", then the ones it knows from before":""}. Updated every 3 seconds.</p>
      <label class="toggle"><input type="checkbox" checked=${t} onChange=${a=>n(a.currentTarget.checked)} /> show known, unconnected peers (${s.length-o.length})</label>
    </div>
    <${R} error=${e.error} />
    ${r.length===0?u`<${ve}>No peer is connected. Start the node with <code>--bootstrap /ip4/…/tcp/…/p2p/12D3KooW…</code>, or run <code>ggen marketplace p2p bootstrap</code>.<//>`:u`
    <div class="table-wrap">
      <table class="grid peers" id="peers-table">
        <thead><tr><th>Peer</th><th>Agent</th><th>Addresses</th><th>Connection</th><th class="num">Latency</th><th>Reputation</th><th class="num">In</th><th class="num">Out</th><th>Packages</th></tr></thead>
        <tbody>
          ${r.map(a=>{let c=G(a),l=He(a);return u`<tr class=${a.connected?"peer-row":"peer-row known"} data-peer=${a.peer_id}>
              <td class="mono" title=${a.peer_id}><span class=${`dot ${a.connected?"up":""}`}></span>${N(a.peer_id)}</td>
              <td>${a.agent_version||"—"}</td>
              <td class="mono addrs" title=${a.addresses.join(`
`)}>${a.addresses[0]||"—"}${a.addresses.length>1?u` <span class="muted">+${a.addresses.length-1}</span>`:null}</td>
              <td>${a.connected?u`<span class=${`badge ${l}`}>${l||"direct"}</span> <span class="muted">${a.direction}</span>`:u`<span class="muted">seen ${ne(a.last_seen)}</span>`}</td>
              <td class="num">${me(a.latency_ms)}</td>
              <td><${K} value=${a.reputation} /></td>
              <td class="num">${c?C(c.in):"—"}</td>
              <td class="num">${c?C(c.out):"—"}</td>
              <td class="num">${a.packages_provided}</td>
            </tr>`})}
        </tbody>
      </table>
    </div>`}`}function Zt(){return ee(()=>I.peers(),3e3)}var St=560,Ue=460,X=St/2,V=Ue/2,Ct=60;function en(e){return e?e.startsWith("ggen/")?"agent-ggen":e.includes("js-libp2p")||e.includes("libp2p")?"agent-js":"agent-other":"agent-unknown"}function tn({self:e,peers:t,table:n}){let s=t.filter(l=>l.connected).slice(0,Ct),o=new Set(s.map(l=>l.peer_id)),r=new Set;(n?n.buckets:[]).forEach(l=>l.peers.forEach(p=>r.add(p.peer_id)));let a=[...r].filter(l=>!o.has(l)).slice(0,Ct),c=(l,p,d)=>{let _=-Math.PI/2+2*Math.PI*l/Math.max(1,p);return[X+d*Math.cos(_),V+d*Math.sin(_)]};return u`<svg class="graph" id="network-graph" viewBox=${`0 0 ${St} ${Ue}`} role="img" aria-label="this node and its peers">
    <circle cx=${X} cy=${V} r="200" class="ring" />
    <circle cx=${X} cy=${V} r="130" class="ring" />
    ${s.map((l,p)=>{let[d,_]=c(p,s.length,130);return u`<line x1=${X} y1=${V} x2=${d} y2=${_} class=${`link ${He(l)==="relayed"?"relayed":""}`} />`})}
    ${a.map((l,p)=>{let[d,_]=c(p+.5,a.length,200);return u`<g class="peer-node outer"><title>${l} (in the routing table, not connected)</title><circle cx=${d} cy=${_} r="6" /></g>`})}
    ${s.map((l,p)=>{let[d,_]=c(p,s.length,130),h=_+(_>=V?24:-16);return u`<g class=${`peer-node ${en(l.agent_version)} ${r.has(l.peer_id)?"in-table":""}`} data-peer=${l.peer_id}>
        <title>${l.peer_id}\n${l.agent_version||"agent unknown"}\nlatency ${me(l.latency_ms)}</title>
        <circle cx=${d} cy=${_} r="13" />
        <text x=${d} y=${h} text-anchor="middle">${N(l.peer_id)}</text>
      </g>`})}
    <g class="self-node"><circle cx=${X} cy=${V} r="26" /><text x=${X} y=${V+5} text-anchor="middle">you</text></g>
    <text x="12" y=${Ue-12} class="caption">${e?N(e):""}</text>
  </svg>`}function nn({table:e}){if(!e)return null;let n=e.buckets.reduce((d,_)=>Math.max(d,_.common_prefix),7)+1,s=new Map(e.buckets.map(d=>[d.common_prefix,d])),o=520,r=220,a=34,c=30,l=(o-a-8)/n,p=d=>r-c-(r-c-12)*Math.min(d,e.k)/e.k;return u`<svg class="buckets" id="bucket-chart" viewBox=${`0 0 ${o} ${r}`} role="img" aria-label="routing table buckets">
    ${[0,e.k/2,e.k].map(d=>u`<g class="axis"><line x1=${a} x2=${o-4} y1=${p(d)} y2=${p(d)} /><text x=${a-6} y=${p(d)+4} text-anchor="end">${d}</text></g>`)}
    ${Array.from({length:n},(d,_)=>{let h=s.get(_),i=h?h.peers.length:0,m=a+_*l+2,g=h?h.peers.filter(f=>f.connected).length:0;return u`<g class="bucket" data-bucket=${_}>
        <title>bucket ${_}: ${i} of ${e.k} peers, ${g} connected</title>
        <rect x=${m} y=${p(i)} width=${Math.max(2,l-4)} height=${r-c-p(i)} class="bar" />
        <rect x=${m} y=${p(g)} width=${Math.max(2,l-4)} height=${r-c-p(g)} class="bar live" />
        ${n<=32||_%4===0?u`<text x=${m+(l-4)/2} y=${r-c+14} text-anchor="middle" class="tick">${_}</text>`:null}
      </g>`})}
    <text x=${a} y=${r-2} class="caption">bits in common with this node's key →</text>
  </svg>`}function Mt(){let e=ee(()=>I.peers(),3e3),t=ee(()=>I.routingTable(),3e3);if(!e.data&&e.loading)return u`<${B} what="the network" />`;let n=e.data?e.data.peers:[],s=t.data;return u`
    <div class="page-head"><h1>Network</h1><p class="muted">This node, its connections and its DHT routing table, live.</p></div>
    <${R} error=${e.error||t.error} />
    <div class="two">
      <${S} title="Connections" right=${u`<span class="legend"><span class="key agent-ggen"></span>ggen <span class="key agent-js"></span>js-libp2p <span class="key agent-other"></span>other <span class="key outer"></span>table only</span>`}>
        <${tn} self=${s?s.peer_id:""} peers=${n} table=${s} />
      <//>
      <${S} title="DHT routing table" right=${s?u`<span class="muted">${s.size} peers · k=${s.k} · ${s.mode} · <span class="mono">${s.protocol}</span></span>`:null}>
        <${nn} table=${s} />
        <p class="muted small">Kademlia keeps up to k peers per bucket; bucket n holds peers whose keys share exactly n leading bits with this node's. Dark: connected now.</p>
        ${s&&s.buckets.length?u`<table class="grid compact" id="bucket-table"><thead><tr><th>Bucket</th><th>Peers</th></tr></thead><tbody>
          ${s.buckets.map(o=>u`<tr><td>${o.common_prefix}</td><td class="mono">${o.peers.map(r=>N(r.peer_id)).join("  ")}</td></tr>`)}
        </tbody></table>`:u`<p class="muted">The routing table is empty: no DHT server among the peers yet.</p>`}
      <//>
    </div>`}var sn=30,It={public:["reach-public","Public","Peers can dial this node directly."],private:["reach-private","Private","Behind NAT or a firewall: peers reach this node through relays, or not at all."],unknown:["reach-unknown","Unknown","Not determined yet: AutoNAT needs peers to dial this node back."]};function on(){let{bytes:e,points:t}=$t(),n=1100,s=240,o=70,r=24,a=12,c=Math.max(1,...t.map(f=>Math.max(f.a,f.b))),l=Math.max(sn,t.length),p=f=>o+(n-o-8)*(f+l-t.length)/Math.max(1,l-1),d=f=>s-r-(s-r-a)*f/c,_=f=>t.map((y,$)=>`${$===0?"M":"L"}${p($).toFixed(1)},${d(y[f]).toFixed(1)}`).join(" "),h=f=>t.length<2?"":`${_(f)} L${p(t.length-1).toFixed(1)},${s-r} L${p(0).toFixed(1)},${s-r} Z`,i=f=>e?ft(f):`${f<10?f.toFixed(1):Math.round(f)}/s`,m=e?["in","out"]:["gossip messages","DHT requests"],g=t.length?t[t.length-1]:null;return u`<div>
    <div class="chart-legend"><span class="key series-a"></span>${m[0]} ${g?u`<b>${i(g.a)}</b>`:null}
      <span class="key series-b"></span>${m[1]} ${g?u`<b>${i(g.b)}</b>`:null}</div>
    <svg class="chart" id="traffic-chart" viewBox=${`0 0 ${n} ${s}`} role="img" aria-label="traffic over time">
      ${[0,.5,1].map(f=>u`<g class="axis"><line x1=${o} x2=${n-8} y1=${d(c*f)} y2=${d(c*f)} /><text x=${o-8} y=${d(c*f)+4} text-anchor="end">${i(c*f)}</text></g>`)}
      <path d=${h("a")} class="area series-a" />
      <path d=${_("a")} class="line series-a" />
      <path d=${_("b")} class="line series-b" />
      <text x=${o} y=${s-6} class="caption">the last ${Math.max(1,Math.round(l*2/60))} min (up to ${Math.round(De*2/60)}), sampled every 2 s while the UI is open</text>
    </svg>
    ${e?null:u`<p class="muted small">This node does not report byte counts; the chart shows the messages it handles instead.</p>`}
  </div>`}function rn({nat:e}){if(!e.port_mapping)return u`<p class="muted" id="port-mappings">Off (nat.port_mapping = false).</p>`;let t=e.port_mappings||[];return t.length?u`<ul class="addrs-list mono" id="port-mappings">${t.map(n=>u`<li>${n.protocol} ${n.internal_port} → ${n.external_addr}
    <span class="muted">(${n.method}, ${n.permanent?"permanent lease":`expires in ${Ae(n.expires_in_secs)}`})</span></li>`)}</ul>`:u`<p class="muted" id="port-mappings">${e.port_mapping_error?`None: ${e.port_mapping_error}`:"None yet."}</p>`}function Nt(){let{data:e,error:t}=ge();if(!e)return t?u`<${R} error=${t} />`:u`<${B} what="the node's status" />`;let n=It[e.reachability]||It.unknown,s=G(e);return u`
    <div class="page-head"><h1>This node</h1><p class="muted">ggen ${e.version} · up ${Ae(e.uptime_secs)} · pid ${e.pid}</p></div>
    <${R} error=${t} />
    <div class="stats">
      <div class="stat"><div class="stat-v" id="stat-peers">${e.connected_peers}</div><div class="stat-k">connected peers</div></div>
      <div class="stat"><div class="stat-v">${e.known_peers}</div><div class="stat-k">known peers</div></div>
      <div class="stat"><div class="stat-v">${e.releases_known}</div><div class="stat-k">releases in the catalog</div></div>
      <div class="stat"><div class="stat-v">${e.dht?e.dht.routing_table_size:0}</div><div class="stat-k">DHT routing table</div></div>
      <div class="stat"><div class=${`stat-v reach ${n[0]}`} id="reachability" title=${n[2]}>${n[1]}</div><div class="stat-k">reachability${e.reachability?"":" (not reported)"}</div></div>
      ${s?u`<div class="stat"><div class="stat-v">${C(s.in)} / ${C(s.out)}</div><div class="stat-k">received / sent</div></div>`:null}
    </div>
    <${S} title="Traffic"><${on} /><//>
    <div class="two">
      <${S} title="Identity">
        <dl class="facts">
          <dt>Peer ID</dt><dd class="mono" id="node-peer-id">${e.peer_id}</dd>
          <dt>API</dt><dd class="mono">127.0.0.1:${e.api_port}</dd>
          <dt>Data directory</dt><dd class="mono">${e.data_dir}</dd>
          <dt>Started</dt><dd>${e.started_at.replace("T"," ").replace(/\.\d+Z$/," UTC")}</dd>
        </dl>
      <//>
      <${S} title="Addresses">
        <h3>Listening</h3>
        <ul class="addrs-list mono">${e.listen_addrs.map(o=>u`<li>${o}</li>`)}</ul>
        <h3>Observed by peers</h3>
        ${e.observed_addrs.length?u`<ul class="addrs-list mono">${e.observed_addrs.map(o=>u`<li>${o}</li>`)}</ul>`:u`<p class="muted">None yet.</p>`}
        ${e.nat?u`<h3>Port mapping</h3><${rn} nat=${e.nat} />`:null}
      <//>
    </div>
    <div class="two">
      <${S} title="Gossip topics">
        ${e.pubsub&&e.pubsub.topics.length?u`<table class="grid compact" id="topics"><thead><tr><th>Topic</th><th class="num">Mesh</th><th class="num">Peers</th></tr></thead><tbody>
          ${e.pubsub.topics.map(o=>u`<tr><td class="mono">${o.topic}</td><td class="num">${o.mesh_peers}</td><td class="num">${o.topic_peers}</td></tr>`)}
        </tbody></table>`:u`<p class="muted">Not subscribed to any topic.</p>`}
        ${e.pubsub?u`<p class="muted small">${e.pubsub.messages_received} messages received, ${e.pubsub.messages_delivered} delivered, ${e.pubsub.invalid_messages} invalid.</p>`:null}
      <//>
      <${S} title="DHT">
        ${e.dht?u`<dl class="facts">
          <dt>Protocol</dt><dd class="mono">${e.dht.protocol}</dd><dt>Mode</dt><dd>${e.dht.mode}</dd>
          <dt>Queries</dt><dd>${e.dht.queries} (mean ${e.dht.mean_hops.toFixed(1)} hops)</dd>
          <dt>Requests</dt><dd>${e.dht.requests_sent} sent (${e.dht.request_failures} failed), ${e.dht.requests_received} received</dd>
          <dt>Stored</dt><dd>${e.dht.records_stored} records, ${e.dht.provider_keys} provider keys</dd>
        </dl>`:null}
      <//>
    </div>
    <${S} title="Protocols">
      <div class="chips">${e.protocols.map(o=>u`<span class="chip mono">${o}</span>`)}</div>
    <//>`}var an=[["packages","Packages"],["peers","Peers"],["network","Network"],["node","Node"]];function ln({section:e}){let t=ge(),n=t.data;return u`
    <header class="top">
      <div class="top-inner">
        <a class="brand" href="#/packages"><img src="favicon.svg" alt="" width="26" height="26" /><span>ggen</span><small>marketplace</small></a>
        <nav>
          ${an.map(([s,o])=>u`<a href=${`#/${s}`} class=${e===s?"active":""} data-nav=${s}>${o}</a>`)}
        </nav>
        <div class="node-chip" title=${n?n.peer_id:""}>
          <span class=${`dot ${t.error?"down":n?"up":""}`}></span>
          ${t.error?"node unreachable":n?u`${N(n.peer_id)} · ${n.connected_peers} peer${n.connected_peers===1?"":"s"}`:"connecting…"}
        </div>
      </div>
    </header>`}function cn(){let{path:e,query:t}=ht(),n=e[0]||"packages",s;switch(n){case"package":s=u`<${Pt} id=${e[1]||""} version=${t.get("version")||""} />`;break;case"peers":s=u`<${Tt} />`;break;case"network":s=u`<${Mt} />`;break;case"node":s=u`<${Nt} />`;break;default:s=u`<${vt} query=${t} />`}return u`
    <${ln} section=${n==="package"?"packages":n} />
    <main class="page">${s}</main>
    <footer class="foot">Served by your own node on 127.0.0.1 · nothing on this page comes from anywhere else</footer>`}Qe(u`<${cn} />`,document.getElementById("app"));})();
